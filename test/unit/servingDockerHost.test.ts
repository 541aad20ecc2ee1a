import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { demuxDockerLog } from '../../src/core/serving/dockerEngine';
import { parseDockerHost, resolveDockerEndpoint } from '../../src/core/serving/dockerHost';
import { buildPredictRequest, signatureInputsFromMetadata } from '../../src/core/serving/predictRequestBuilder';

describe('serving: Docker endpoint resolution', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tfss-home-'));
  after(() => fs.rmSync(home, { recursive: true, force: true }));
  const writeContext = (name: string, host: string) => {
    const dir = path.join(home, '.docker', 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ Name: name, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }));
  };

  it('prefers DOCKER_HOST, then DOCKER_CONTEXT, then the current context, then the default socket', () => {
    fs.mkdirSync(path.join(home, '.docker'), { recursive: true });
    writeContext('colima', 'unix:///home/u/.colima/default/docker.sock');
    writeContext('remote', 'tcp://10.0.0.5:2376');
    fs.writeFileSync(path.join(home, '.docker', 'config.json'), JSON.stringify({ currentContext: 'colima' }));
    assert.strictEqual(resolveDockerEndpoint({ DOCKER_HOST: 'unix:///tmp/x.sock' }, home).socketPath, '/tmp/x.sock');
    assert.deepStrictEqual(resolveDockerEndpoint({ DOCKER_CONTEXT: 'remote' }, home), { host: '10.0.0.5', port: 2376, protocol: 'http', description: 'tcp://10.0.0.5:2376 (context remote)' });
    assert.strictEqual(resolveDockerEndpoint({}, home).socketPath, '/home/u/.colima/default/docker.sock');
    fs.writeFileSync(path.join(home, '.docker', 'config.json'), JSON.stringify({ currentContext: 'default' }));
    assert.strictEqual(resolveDockerEndpoint({}, home).socketPath, '/var/run/docker.sock');
    assert.throws(() => resolveDockerEndpoint({ DOCKER_CONTEXT: 'gone' }, home), /context "gone" is selected/);
  });

  it('reads the host forms the docker CLI takes', () => {
    assert.deepStrictEqual(parseDockerHost('ssh://me@build-box', 'x'), { host: 'build-box', port: 22, protocol: 'ssh', description: 'ssh://me@build-box (x)' });
    assert.strictEqual(parseDockerHost('https://h:2376', 'x').protocol, 'https');
    assert.throws(() => parseDockerHost('ftp://h', 'x'), /Cannot read the Docker host/);
  });
});

describe('serving: log demultiplexing', () => {
  it('splits stdout and stderr frames into lines', () => {
    const frame = (stream: number, text: string) => {
      const body = Buffer.from(text);
      const head = Buffer.alloc(8);
      head[0] = stream;
      head.writeUInt32BE(body.length, 4);
      return Buffer.concat([head, body]);
    };
    const buf = Buffer.concat([frame(1, 'unknown argument: --x\nusage\n'), frame(2, 'E failed\r\n')]);
    assert.deepStrictEqual(demuxDockerLog(buf), [
      { stream: 'stdout', text: 'unknown argument: --x' }, { stream: 'stdout', text: 'usage' }, { stream: 'stderr', text: 'E failed' },
    ]);
    assert.deepStrictEqual(demuxDockerLog(Buffer.from('tty line\n')), [{ stream: 'stdout', text: 'tty line' }]);
  });
});

describe('serving: predict request builder', () => {
  const sig = { inputs: { x: { dtype: 'DT_FLOAT', tensor_shape: { dim: [{ size: '-1' }, { size: '3' }], unknown_rank: false } } } };
  it('builds row and columnar requests from a signature', () => {
    const inputs = signatureInputsFromMetadata(sig);
    assert.deepStrictEqual(inputs, [{ name: 'x', dtype: 'DT_FLOAT', dims: [-1, 3] }]);
    assert.deepStrictEqual(buildPredictRequest(inputs, 'row'), { instances: [[1, 1, 1]] });
    assert.deepStrictEqual(buildPredictRequest(inputs, 'columnar', 'other'), { signature_name: 'other', inputs: [[1, 1, 1]] });
    const two = [{ name: 'a', dtype: 'DT_STRING', dims: [-1] }, { name: 'b', dtype: 'DT_INT64', dims: [-1, 2] }];
    assert.deepStrictEqual(buildPredictRequest(two, 'row'), { instances: [{ a: '', b: [1, 1] }] });
    assert.deepStrictEqual(buildPredictRequest(two, 'columnar'), { inputs: { a: [''], b: [[1, 1]] } });
    assert.throws(() => buildPredictRequest([], 'row'), /no inputs/);
  });
});
