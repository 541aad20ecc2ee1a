// yaml-language-server, headless, with our Kubernetes schemas chosen per document (as the editor integration
// will do through a custom schema provider): valid manifests are clean, invalid ones get diagnostics.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getLanguageService } from 'yaml-language-server';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { kubernetesSchemaFor } from '../../src/core/validation/schemaForDocument';
import { INVALID_FIXTURES } from '../unit/k8sInvalidFixtures';

const dir = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'k8s');

describe('yaml-language-server with the Kubernetes schemas (integration)', function () {
  this.timeout(60000);
  // One service per kind: the schema is chosen from the document's apiVersion + kind, like the editor will.
  const services = new Map<object, ReturnType<typeof getLanguageService>>();
  function serviceFor(schema: object) {
    let ls = services.get(schema);
    if (!ls) {
      const id = `inmemory://schemas/${(schema as { $id?: string }).$id?.split('/').pop() ?? 'k8s.json'}`;
      ls = getLanguageService({ schemaRequestService: async () => JSON.stringify(schema), workspaceContext: { resolveRelativePath: (r) => r } });
      ls.configure({ validate: true, completion: true, hover: true, yamlVersion: '1.2', schemas: [{ uri: id, fileMatch: ['*.yaml'], schema }] });
      services.set(schema, ls);
    }
    return ls;
  }
  // yaml-language-server caches parsed documents by URI and version, so every document gets its own URI.
  let counter = 0;
  async function diagnose(text: string): Promise<string[]> {
    const out: string[] = [];
    // Documents are validated one at a time so that each gets its own kind's schema.
    for (const part of text.split(/^---\s*$/m)) {
      const head = /^apiVersion:\s*(\S+)/m.exec(part)?.[1];
      const kind = /^kind:\s*(\S+)/m.exec(part)?.[1];
      const schema = kubernetesSchemaFor(head, kind);
      if (!schema) continue;
      const d = await serviceFor(schema).doValidation(TextDocument.create(`file:///w/m${counter++}.yaml`, 'yaml', 1, part), false);
      out.push(...d.map((x) => `${kind}:${x.range.start.line + 1}: ${x.message}`));
    }
    return out;
  }
  for (const name of readdirSync(join(dir, 'schema-valid'))) {
    it(`accepts schema-valid/${name}`, async () => assert.deepEqual(await diagnose(readFileSync(join(dir, 'schema-valid', name), 'utf8')), []));
  }
  // The language server words its messages its own way; it must flag the same lines as our validator.
  for (const [name, expected] of Object.entries(INVALID_FIXTURES)) {
    it(`rejects schema-invalid/${name} on the lines our validator names`, async () => {
      const lines = (await diagnose(readFileSync(join(dir, 'schema-invalid', name), 'utf8'))).map((d) => Number(/^\w+:(\d+):/.exec(d)![1]));
      assert.deepEqual([...new Set(lines)].sort((a, b) => a - b), [...new Set(expected.map(([l]) => l))].sort((a, b) => a - b), lines.join());
    });
  }
  it('completes container keys', async () => {
    const schema = kubernetesSchemaFor('apps/v1', 'Deployment')!;
    const text = 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          \n';
    const list = await serviceFor(schema).doComplete(TextDocument.create('file:///w/d.yaml', 'yaml', 1, text), { line: 7, character: 10 }, false);
    const labels = list.items.map((i) => i.label);
    for (const key of ['image', 'args', 'readinessProbe', 'volumeMounts', 'resources']) assert.ok(labels.includes(key), key);
  });
});
