import * as assert from 'assert';
import { mkdtempSync, rmSync, mkdirSync, truncateSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { inspectPath, inspectModelBytes } from '../../src/core/model/modelInspector';
import { ModelDecodeError } from '../../src/core/model/modelDecodeError';
import { renderModelDetailsReport } from '../../src/core/model/modelDetailsReport';
import { signatureDefMapJson } from '../../src/core/model/signatureDefJson';
import { ProtobufWriter } from '../../src/core/model/protobufWriter';

describe('model inspector bounds (huge and hostile files)', () => {
  let tmp: string;
  before(() => { tmp = mkdtempSync(path.join(tmpdir(), 'tfss-bounds-')); });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('decodes, prints and reports a signature with 150,000 inputs without overflowing the stack', function () {
    this.timeout(60_000);
    const n = 150_000;
    const w = new ProtobufWriter().message(2, (mg) => {
      mg.message(1, (mi) => mi.string(4, 'serve'));
      mg.message(5, (e) => e.string(1, 'serving_default').message(2, (sig) => {
        for (let i = 0; i < n; i++) sig.message(1, (ent) => ent.string(1, `in_${i}`).message(2, (ti) => ti.string(1, `x_${i}:0`).int(2, 1)));
        sig.string(3, 'tensorflow/serving/predict');
      }));
    });
    const summary = inspectModelBytes('saved_model.pb', w.finish());
    assert.ok(summary.format !== 'tflite' && summary.servingMetaGraph);
    const json = signatureDefMapJson(summary.servingMetaGraph) as { signature_def: Record<string, { inputs: Record<string, unknown> }> };
    assert.strictEqual(Object.keys(json.signature_def.serving_default.inputs).length, n);
    assert.match(renderModelDetailsReport(summary), /149,800 more \(`inspect --json` lists them all\)/);
  });

  it('refuses a 3 GB saved_model.pb by its size, naming the file, without reading it', async () => {
    const dir = path.join(tmp, 'huge');
    mkdirSync(dir);
    const file = path.join(dir, 'saved_model.pb');
    writeFileSync(file, '');
    truncateSync(file, 3 * 2 ** 30); // sparse: takes no disk space
    await assert.rejects(inspectPath(dir), (e: Error) => e instanceof ModelDecodeError && e.message.includes(file) && /3\.0 GiB.*over 2 GiB/.test(e.message));
  });

  it('refuses 1 GB of zeros from its first bytes, in bounded memory', async () => {
    const dir = path.join(tmp, 'zeros');
    mkdirSync(dir);
    const file = path.join(dir, 'saved_model.pb');
    writeFileSync(file, '');
    truncateSync(file, 2 ** 30);
    const before = process.memoryUsage().rss;
    await assert.rejects(inspectPath(file), (e: Error) => e instanceof ModelDecodeError && e.message.startsWith(file) && /zero bytes/.test(e.message));
    assert.ok(process.memoryUsage().rss - before < 100 * 2 ** 20, 'the file was not read whole');
  });
});

describe('inspector warnings', () => {
  const model = (key: string, extra?: (mg: ProtobufWriter) => void) => new ProtobufWriter().message(2, (mg) => {
    mg.message(1, (mi) => mi.string(4, 'serve'));
    extra?.(mg);
    mg.message(5, (e) => e.string(1, key).message(2, (sig) => sig.string(3, 'tensorflow/serving/predict')));
  }).finish();

  it('warns when the serving meta graph has no serving_default, naming the signatures a request can use', () => {
    assert.deepStrictEqual(inspectModelBytes('saved_model.pb', model('predict')).warnings, ['No "serving_default" signature: every request must name one ("signature_name": "predict").']);
    assert.deepStrictEqual(inspectModelBytes('saved_model.pb', model('serving_default')).warnings, []);
  });

  it('warns about a missing variables index only when the graph reads variables', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tfss-vars-'));
    try {
      const withVariables = model('serving_default', (mg) => mg.message(2, (g) => g.message(1, (n) => n.string(1, 'v').string(2, 'VarHandleOp'))));
      const constants = model('serving_default', (mg) => mg.message(2, (g) => g.message(1, (n) => n.string(1, 'c').string(2, 'Const'))));
      for (const [name, bytes] of [['reads', withVariables], ['constants', constants]] as const) {
        mkdirSync(path.join(dir, name));
        writeFileSync(path.join(dir, name, 'saved_model.pb'), bytes);
      }
      assert.match((await inspectPath(path.join(dir, 'reads'))).warnings.join('\n'), /reads variables, but variables\/variables\.index is missing/);
      assert.deepStrictEqual((await inspectPath(path.join(dir, 'constants'))).warnings, []);
      mkdirSync(path.join(dir, 'reads', 'variables'));
      writeFileSync(path.join(dir, 'reads', 'variables', 'variables.index'), 'i');
      assert.deepStrictEqual((await inspectPath(path.join(dir, 'reads'))).warnings, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
