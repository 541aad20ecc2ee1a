// Static checks of src/vscode that the extension tests cannot see: one name per command ID, every setting read
// through settings.ts, one content provider per document scheme.
import * as assert from 'assert';
import { readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '../../../src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const files = sources(root).map((p) => ({ rel: path.relative(root, p), text: readFileSync(p, 'utf8') }));
const commandIds = new Set([...readFileSync(path.join(root, 'vscode/contributions.ts'), 'utf8').matchAll(/: '(tfServing\.[A-Za-z]+)'/g)].map((m) => m[1]));

describe('contributions in the source', () => {
  it('names command IDs only in contributions.ts', () => {
    assert.ok(commandIds.size >= 40, `${commandIds.size} command IDs`);
    const stray = files.filter((f) => f.rel !== path.join('vscode', 'contributions.ts'))
      .flatMap((f) => [...f.text.matchAll(/'(tfServing\.[A-Za-z]+)'/g)].filter((m) => commandIds.has(m[1])).map((m) => `${f.rel}: ${m[1]}`));
    assert.deepStrictEqual(stray, []);
  });

  it('reads settings only in settings.ts', () => {
    const stray = files.filter((f) => f.rel !== path.join('vscode', 'settings.ts') && /getConfiguration\(/.test(f.text)).map((f) => f.rel);
    assert.deepStrictEqual(stray, []);
  });

  it('registers one content provider per document scheme', () => {
    const schemes = new Map<string, string[]>();
    for (const f of files) {
      for (const m of f.text.matchAll(/registerTextDocumentContentProvider\(\s*([A-Z_]+)/g)) {
        const values = files.flatMap((g) => [...g.text.matchAll(new RegExp(`export const ${m[1]} = '([^']+)'`, 'g'))].map((d) => d[1]));
        assert.strictEqual(values.length, 1, `${f.rel}: ${m[1]} should be one exported string constant`);
        const value = values[0];
        schemes.set(value, [...(schemes.get(value) ?? []), f.rel]);
      }
    }
    assert.ok(schemes.size >= 4, [...schemes.keys()].join(', '));
    assert.deepStrictEqual([...schemes].filter(([, where]) => where.length > 1), []);
  });
});
