// The fast reader for large `data` maps must change nothing but the time: for every text, the findings and the
// documents' values equal those of the `yaml` library reading the whole text, and it says when it stood aside.
import * as assert from 'assert';
import { validateKubernetesManifests } from '../../src/core/validation/kubernetesValidation';
import { documentValue, parseYamlFile } from '../../src/core/validation/yamlDocuments';
import { withoutLargeStringMaps } from '../../src/core/validation/largeStringMaps';

const SMALL = 64; // the block size from which the fast reader takes over, small so short texts exercise it
const header = (kind = 'ConfigMap') => `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: cm\n  labels: {app: "not a label!"}\n`;
const filler = (n: number) => Array.from({ length: n }, (_, i) => `  key${i}: "value ${i}"\n`).join('');
const deployment = '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspek: {}\n';

function bothWays(text: string) {
  const fast = parseYamlFile(text, { largeBlockBytes: SMALL });
  const slow = parseYamlFile(text, { largeBlockBytes: Infinity });
  assert.strictEqual(slow.stringMaps, undefined);
  const findings = (file: typeof fast) => validateKubernetesManifests('x.yaml', text, undefined, file);
  assert.deepStrictEqual(findings(fast), findings(slow));
  assert.deepStrictEqual(fast.documents.map((d) => documentValue(fast, d)), slow.documents.map((d) => documentValue(slow, d)));
  return { fastTaken: fast.stringMaps !== undefined, findings: findings(slow) };
}

describe('Large string maps read apart (validate of a big ConfigMap)', () => {
  it('reads strings of every style, comments and empty values; findings before, in and after the block keep their place', () => {
    const block = `data: # the entries\n${filler(20)}  quoted: 'single'\n  plain: just words, and more # a comment\n  empty:\n  tilde: ~\n# a comment at column 0\n  literal: |\n    line one\n    line two\n  folded: >-\n    folded\n    text\n\n  last: "x"\n`;
    const text = header() + block + 'immutable: 3\n' + deployment;
    const r = bothWays(text);
    assert.ok(r.fastTaken);
    assert.deepStrictEqual(r.findings.map((f) => [f.code, f.range.start.line]).sort(), [['k8s.label-value', 4], ['schema', 39], ['schema', 45]].sort());
    for (const eol of ['\r\n']) assert.ok(bothWays(text.replace(/\n/g, eol)).fastTaken, 'CRLF');
  });

  it('reads a Secret\'s stringData and a ConfigMap\'s data in one file', () => {
    const text = header('Secret') + `stringData:\n${filler(10)}` + '---\n' + header() + `binaryData:\n${filler(10)}data:\n${filler(10)}`;
    assert.ok(bothWays(text).fastTaken);
    assert.strictEqual(parseYamlFile(text, { largeBlockBytes: SMALL }).stringMaps?.size, 2);
  });

  // Plain scalars the two libraries might read differently: where js-yaml says "string" the yaml library must too.
  const tricky = ['1_000', '0b11', '0x1F', '0o17', '017', '+1', '-1', '1e3', '1E-3', '.5', '1.', '+.5', '.inf', '-.Inf', '.NaN', '.nan', 'NaN',
    'true', 'True', 'TRUE', 'tRue', 'yes', 'no', 'on', 'off', 'y', 'n', 'null', 'Null', 'NULL', 'nULL', '~', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
    '12:30:45', '1:20', '0.', '-', '=', '0', '-0', '00', '+0.0', '1,000', '0xG', '!!str 5', '!!int "5"', '"5"', "'5'"];
  for (const scalar of tricky) {
    it(`reads ${scalar} as the yaml library does`, () => bothWays(header() + `data:\n${filler(4)}  tricky: ${scalar}\n`));
  }

  it('stands aside for a value that is not a string, an alias, a duplicate key, a "data:" line inside a quoted string', () => {
    const cases: [string, string][] = [
      ['a number', header() + `data:\n${filler(4)}  count: 5\n`],
      ['an alias', header() + `x: &v "shared"\ndata:\n${filler(4)}  a: *v\n`],
      ['an anchor used later', header() + `data:\n${filler(4)}  a: &v "shared"\nimmutable: *v\n`],
      ['a duplicate key', header() + `data:\n${filler(4)}  key1: again\n`],
      ['a quoted string over lines', header() + `note: "starts here\ndata:\n${filler(4)}  ends"\n`],
      ['a nested map', header() + `data:\n${filler(4)}  nested:\n    deeper: x\n`],
      ['a syntax error', header() + `data:\n${filler(4)}  bad: "unterminated\n`],
    ];
    for (const [name, text] of cases) assert.strictEqual(bothWays(text).fastTaken, false, name);
    // Each of them is still reported as before (the slow path's findings, compared above, are not empty).
    for (const [name, text] of cases.filter(([n]) => n !== 'an alias' && n !== 'a quoted string over lines')) {
      assert.ok(bothWays(text).findings.some((f) => f.severity === 'error'), name);
    }
  });

  it('cuts the block out and counts its lines back in every position after it', () => {
    const text = header() + `data:\n${filler(10)}kind2: x\n`;
    const out = withoutLargeStringMaps(text, SMALL)!;
    assert.strictEqual(out.text, header() + 'data:\nkind2: x\n');
    assert.deepStrictEqual(out.blocks.map((b) => [b.key, b.parsedOffset, b.lines]), [['data', header().length + 6, 10]]);
    const file = parseYamlFile(text, { largeBlockBytes: SMALL });
    const at = (offset: number) => file.lineCounter.linePos(offset);
    assert.deepStrictEqual([at(0), at(header().length), at(header().length + 6), at(header().length + 8)], [{ line: 1, col: 1 }, { line: 6, col: 1 }, { line: 17, col: 1 }, { line: 17, col: 3 }]);
    assert.deepStrictEqual(Object.keys(out.blocks[0].value), Array.from({ length: 10 }, (_, i) => `key${i}`));
    assert.strictEqual(withoutLargeStringMaps(text), undefined, 'small files are parsed as they are');
  });
});
