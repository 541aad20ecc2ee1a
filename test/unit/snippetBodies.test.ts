// Every snippet, with its placeholders filled by their defaults, must pass the same checks as user files.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateKubernetesManifests } from '../../src/core/validation/kubernetesValidation';
import { validatePrometheusConfig } from '../../src/core/validation/prometheusValidation';
import { detectTextProtoMessage, validateTextProto } from '../../src/core/configs/textProtoValidator';

const dir = join(__dirname, '..', '..', '..', 'snippets');

/** VS Code snippet syntax → text: ${1:default} → default, ${1|a,b|} → a, $1 / ${1} → '', \$ → $. */
export function expandDefaults(body: string): string {
  let out = body;
  for (let i = 0; i < 5; i++) out = out.replace(/\$\{\d+:([^${}]*)\}/g, '$1'); // nested defaults resolve inside out
  return out.replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\{\d+\}|\$\d+/g, '').replace(/\\\$/g, '$');
}

describe('snippets', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.code-snippets'));
  it('exist for Kubernetes, prometheus.yml and TF Serving configs', () => assert.equal(files.length, 3));
  for (const f of files) {
    const snippets = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, { prefix: string; body: string[] }>;
    for (const [name, s] of Object.entries(snippets)) {
      it(`${name} validates with zero findings`, () => {
        const text = expandDefaults(s.body.join('\n')) + '\n';
        assert.ok(!/\$\{?\d/.test(text), text);
        let findings;
        if (f.startsWith('prometheus')) findings = validatePrometheusConfig('prometheus.yml', text);
        else if (f.startsWith('tfserving-kubernetes')) {
          // Schema of the kind plus the TF Serving checks; the GCS variant's Secret comes from the Secret snippet.
          findings = validateKubernetesManifests('s.yaml', text, new Set(['gcs-key']));
        } else {
          const message = detectTextProtoMessage('s.config', text);
          assert.ok(message, 'message not detected from content');
          findings = validateTextProto('s.config', text, message);
        }
        assert.deepEqual(findings.map((x) => x.message), []);
      });
    }
  }
  it('expands placeholders as VS Code does for defaults', () => {
    assert.equal(expandDefaults('a ${1:x} ${2|p,q|} $3 \\$HOME'), 'a x p  $HOME');
  });
});
