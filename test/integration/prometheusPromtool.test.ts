// The oracle: Debian's `promtool check config` (Prometheus 2.42) on the same corpus the schema is tested on.
// Each fixture's header says what promtool 2.42 can judge: by default it must agree with the schema; files marked
// `promtool-2.42: unknown-fields` use settings or discoveries that version/build lacks, so the only errors
// allowed are "field … not found"; `promtool-2.42: accepts` marks a known disagreement (stated in the header).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validatePrometheusConfig } from '../../src/core/validation/prometheusValidation';

const corpus = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'prometheus');

function promtool(file: string): { ok: boolean; output: string } {
  const r = spawnSync('promtool', ['check', 'config', file], { encoding: 'utf8', timeout: 30000 });
  if (r.error) throw new Error(`promtool not runnable (${r.error.message}); install it with: apt-get install prometheus`);
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

function verdict(text: string): 'agree' | 'unknown-fields' | 'accepts' {
  const m = /^# promtool-2\.42: (unknown-fields|accepts|rejects)/m.exec(text);
  if (!m || m[1] === 'rejects') return 'agree';
  return m[1] as 'unknown-fields' | 'accepts';
}

function onlyUnknownFields(output: string): boolean {
  const errors = output.split('\n').filter((l) => /^\s+line \d+:/.test(l));
  return /yaml: unmarshal errors/.test(output) && errors.length > 0 && errors.every((l) => /field \w+ not found in type/.test(l));
}

describe('promtool check config agrees with the schema (integration)', function () {
  this.timeout(120000);
  const tally = { validAgree: 0, validUnknownFields: 0, invalidAgree: 0, invalidUnknownFields: 0, invalidDisagree: 0 };
  for (const dir of ['valid', 'invalid'] as const) {
    for (const name of readdirSync(join(corpus, dir)).filter((f) => f.endsWith('.yml'))) {
      const file = join(corpus, dir, name);
      it(`${dir}/${name}`, () => {
        const text = readFileSync(file, 'utf8');
        const schemaOk = validatePrometheusConfig(file, text).length === 0;
        assert.equal(schemaOk, dir === 'valid');
        const r = promtool(file);
        const v = verdict(text);
        if (v === 'unknown-fields') {
          assert.ok(!r.ok && onlyUnknownFields(r.output), `expected only unknown-field errors from promtool 2.42:\n${r.output}`);
          if (dir === 'valid') tally.validUnknownFields++; else tally.invalidUnknownFields++;
        } else if (v === 'accepts') {
          assert.ok(r.ok, `header says promtool 2.42 accepts this file:\n${r.output}`);
          tally.invalidDisagree++;
        } else {
          assert.equal(r.ok, dir === 'valid', r.output);
          if (dir === 'valid') tally.validAgree++; else tally.invalidAgree++;
        }
      });
    }
  }
  after(() => console.log(`      promtool 2.42 vs schema: ${JSON.stringify(tally)}`));
});
