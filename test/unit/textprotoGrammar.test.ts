// The TextMate grammar, run through VS Code's own tokenizer (vscode-textmate + oniguruma): field names, strings,
// numbers, booleans, enum constants and comments get the scopes themes colour.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const repo = join(__dirname, '..', '..', '..');
const grammarPath = join(repo, 'syntaxes', 'tfserving-config.tmLanguage.json');

async function loadGrammar(): Promise<textmate.IGrammar> {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (s) => new oniguruma.OnigScanner(s), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) => (scope === 'source.tfserving-config' ? textmate.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null),
  });
  const g = await registry.loadGrammar('source.tfserving-config');
  assert.ok(g);
  return g;
}

describe('TF Serving config TextMate grammar', () => {
  let grammar: textmate.IGrammar;
  before(async () => { grammar = await loadGrammar(); });

  function scopesOf(line: string): Map<string, string> {
    const { tokens } = grammar.tokenizeLine(line, textmate.INITIAL);
    const out = new Map<string, string>();
    for (const t of tokens) out.set(line.slice(t.startIndex, t.endIndex), t.scopes[t.scopes.length - 1]);
    return out;
  }

  it('scopes a field with a string value', () => {
    const s = scopesOf('name: "half_plus_two"');
    assert.equal(s.get('name'), 'variable.other.property.tfserving-config');
    assert.equal(s.get(':'), 'punctuation.separator.key-value.tfserving-config');
    assert.equal(s.get('half_plus_two'), 'string.quoted.double.tfserving-config');
  });
  it('scopes message fields, numbers, booleans and enum constants', () => {
    assert.equal(scopesOf('max_batch_size { value: 128 }').get('128'), 'constant.numeric.tfserving-config');
    assert.equal(scopesOf('max_batch_size { value: 128 }').get('max_batch_size'), 'variable.other.property.tfserving-config');
    assert.equal(scopesOf('enable: true').get('true'), 'constant.language.boolean.tfserving-config');
    assert.equal(scopesOf('model_type: TENSORFLOW').get('TENSORFLOW'), 'constant.other.enum.tfserving-config');
  });
  it('scopes comments to the end of the line', () => {
    assert.equal(scopesOf('# models served by the fleet').get('# models served by the fleet'), 'comment.line.number-sign.tfserving-config');
  });
});
