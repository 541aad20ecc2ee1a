import * as assert from 'assert';
import * as path from 'path';
import { baseName, childLocation, formatLocation, parentLocation, parseLocation } from '../../src/core/location';

describe('ModelLocation', () => {
  it('parses bucket URIs', () => {
    assert.deepStrictEqual(parseLocation('s3://bucket/models/resnet/'), { scheme: 's3', bucket: 'bucket', path: 'models/resnet' });
    assert.deepStrictEqual(parseLocation('gs://b'), { scheme: 'gs', bucket: 'b', path: '' });
    assert.throws(() => parseLocation('s3:///x'), /no bucket/);
    assert.throws(() => parseLocation('ftp://x/y'), /Unsupported scheme/);
    assert.throws(() => parseLocation('  '), /Empty/);
  });

  it('resolves relative paths against a base folder and file URIs to paths', () => {
    assert.strictEqual(parseLocation('models', '/ws').path, path.resolve('/ws/models'));
    assert.strictEqual(parseLocation('file:///tmp/a%20b').path, '/tmp/a b');
  });

  it('formats and navigates', () => {
    const repo = parseLocation('gs://b/repo');
    const v = childLocation(repo, 'm', '00000123');
    assert.strictEqual(formatLocation(v), 'gs://b/repo/m/00000123');
    assert.strictEqual(baseName(v), '00000123');
    assert.strictEqual(formatLocation(parentLocation(v)), 'gs://b/repo/m');
    assert.strictEqual(formatLocation(parseLocation('/tmp/x y')), 'file:///tmp/x%20y');
    assert.strictEqual(formatLocation(childLocation(parseLocation('s3://b'), 'm')), 's3://b/m');
  });
});
