// The valid corpus must exercise every top-level section and every service discovery the schema knows, so that
// "accepts every valid config" is tested for each of them.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { prometheusSchema } from '../../src/core/validation/prometheusValidation';

const valid = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'prometheus', 'valid');

function keysIn(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) value.forEach((v) => keysIn(v, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) { out.add(k); keysIn(v, out); }
}

describe('prometheus valid corpus coverage', () => {
  const used = new Set<string>();
  const topLevel = new Set<string>();
  for (const f of readdirSync(valid).filter((n) => n.endsWith('.yml'))) {
    const doc = parse(readFileSync(join(valid, f), 'utf8'), { merge: true }) ?? {};
    Object.keys(doc).forEach((k) => topLevel.add(k));
    keysIn(doc, used);
  }
  const schema = prometheusSchema as unknown as { properties: Record<string, unknown>; definitions: { scrape_config: { properties: Record<string, unknown> } } };
  it('uses every top-level section', () => {
    assert.deepEqual(Object.keys(schema.properties).filter((k) => !topLevel.has(k)), []);
  });
  it('uses every service discovery', () => {
    const sds = Object.keys(schema.definitions.scrape_config.properties).filter((k) => k.endsWith('_sd_configs'));
    assert.ok(sds.length >= 30, `${sds.length} discoveries`);
    assert.deepEqual(sds.filter((k) => !used.has(k)), []);
  });
  it('uses every relabel action', () => {
    const text = readdirSync(valid).map((f) => readFileSync(join(valid, f), 'utf8')).join('\n');
    for (const a of ['replace', 'lowercase', 'uppercase', 'keep', 'drop', 'keepequal', 'dropequal', 'hashmod', 'labelmap', 'labeldrop', 'labelkeep']) assert.match(text, new RegExp(`action: ${a}\\b`), a);
  });
});
