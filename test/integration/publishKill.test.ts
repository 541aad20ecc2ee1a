// The kill harness: `kill -9` of a real `tfserving-studio publish` process at random moments of a 100 MiB publish,
// 20 times per store (local folder, S3 on moto, GCS emulator). After each kill, one touch of the model (the CLI's
// `versions` or `repair`, or the store's repair as the Models view calls it); then no numbered version may be partial,
// nothing may be left in staging, and on S3 no multipart upload may be left unfinished. Half the kills land at a
// uniformly random moment of the publish, half just after its journal appears (inside the short reveal), so both
// rollbacks and finished reveals are exercised. TFS_KILL_SEED reproduces a run.
import * as assert from 'assert';
import { spawn, execFile } from 'child_process';
import { promises as fs } from 'fs';
import * as path from 'path';
import { S3Client, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { childLocation, formatLocation, parseLocation, type ModelLocation } from '../../src/core/location';
import { parseVersionFolder } from '../../src/core/model/versionRules';
import type { ModelStore } from '../../src/core/storage/modelStore';
import { LocalModelStore } from '../../src/core/storage/localModelStore';
import { S3ModelStore } from '../../src/core/storage/s3ModelStore';
import { GcsModelStore } from '../../src/core/storage/gcsModelStore';
import { createS3Bucket, repoRoot, startGcsEmulator, startMotoServer, type RunningServer, type S3TestServer } from '../servers/testServers';
import { removeTempDirs, tempDir } from './s3GcsStoreSuite';
import { bigSavedModel, localSizes } from './publishSafetySuite';

const cli = path.join(repoRoot, 'out/src/cli.js');
const KILLS = 20;

/** A small seeded generator, so a failing run can be repeated with TFS_KILL_SEED. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface KillTarget {
  name: string;
  store: ModelStore;
  model: ModelLocation;
  /** CLI arguments after the model URI, and the environment. */
  flags: string[];
  env: NodeJS.ProcessEnv;
  /** Every object or file under the model, relative names, with sizes. */
  everything(): Promise<Map<string, number>>;
  /** Unfinished hidden uploads under the model (S3), else 0. */
  unfinishedUploads(): Promise<number>;
  /** Whether version v's publish has written its claim / its journal yet. */
  claimExists(v: number): Promise<boolean>;
  journalExists(v: number): Promise<boolean>;
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH, HOME: '/nonexistent-tfss-home', AWS_EC2_METADATA_DISABLED: 'true', ...env }, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

describe('Kill harness: kill -9 during publish, then one touch', function () {
  this.timeout(900_000);
  let moto: S3TestServer;
  let gcs: RunningServer;
  let source: string;
  let sizes: Map<string, number>;
  const seed = Number(process.env.TFS_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));

  before(async function () {
    this.timeout(180_000);
    [moto, gcs, source] = await Promise.all([startMotoServer(), startGcsEmulator(), bigSavedModel(100)]);
    sizes = await localSizes(source);
    await createS3Bucket(moto, 'tfss-kill');
    console.log(`      kill harness seed ${seed} (TFS_KILL_SEED=${seed} repeats it); source ${[...sizes.values()].reduce((a, b) => a + b, 0)} bytes in ${sizes.size} files`);
  });
  after(async () => {
    await removeTempDirs();
    await Promise.all([moto?.stop(), gcs?.stop()]);
  });

  const bucketTarget = (name: string, store: S3ModelStore | GcsModelStore, model: ModelLocation, flags: string[], env: NodeJS.ProcessEnv, uploads: () => Promise<number>): KillTarget => ({
    name, store, model, flags, env,
    everything: async () => new Map((await store.listObjects(model, `${model.path}/`)).map((o) => [o.key.slice(model.path.length + 1), o.bytes])),
    unfinishedUploads: uploads,
    claimExists: async (v) => (await store.listObjects(model, `${model.path}/.staging-${v}/claim.json`)).length > 0,
    journalExists: async (v) => (await store.listObjects(model, `${model.path}/.staging-${v}/journal.json`)).length > 0,
  });

  const targets: Record<string, () => Promise<KillTarget>> = {
    'local folder': async () => {
      const root = await tempDir('tfss-kill-');
      const model = parseLocation(path.join(root, 'big'));
      return {
        name: 'local', store: new LocalModelStore(), model, flags: [], env: {},
        everything: () => localSizes(model.path).catch(() => new Map()),
        unfinishedUploads: async () => 0,
        claimExists: (v) => fs.stat(path.join(model.path, `.staging-${v}`, 'claim.json')).then(() => true, () => false),
        journalExists: (v) => fs.stat(path.join(model.path, `.staging-${v}`, 'journal.json')).then(() => true, () => false),
      };
    },
    'S3 (moto)': async () => {
      const creds = { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey };
      const store = new S3ModelStore({ endpoint: moto.endpoint, region: moto.region, forcePathStyle: true, credentials: creds });
      const raw = new S3Client({ region: moto.region, endpoint: moto.endpoint, forcePathStyle: true, credentials: creds });
      const model = parseLocation('s3://tfss-kill/models/big');
      return bucketTarget('s3', store, model, ['--endpoint', moto.endpoint, '--path-style'],
        { AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_REGION: moto.region },
        async () => ((await raw.send(new ListMultipartUploadsCommand({ Bucket: 'tfss-kill', Prefix: 'models/big/' }))).Uploads ?? []).length);
    },
    'GCS (emulator)': async () => {
      const store = new GcsModelStore({ apiEndpoint: gcs.endpoint });
      return bucketTarget('gcs', store, parseLocation('gs://tfss-kill/models/big'), [], { STORAGE_EMULATOR_HOST: gcs.endpoint }, async () => 0);
    },
  };

  for (const [label, makeTarget] of Object.entries(targets)) {
    it(`${label}: ${KILLS} kills at random moments of a 100 MiB publish leave no partial version and nothing in staging`, async () => {
      const t = await makeTarget();
      const uri = formatLocation(t.model);
      const rnd = random(seed ^ label.length);
      // One whole publish first: how long its work takes here (from its claim to its exit, without the process's
      // start-up), and a version the kills must never damage.
      const firstRun = runCli(['publish', source, uri, ...t.flags], t.env);
      let done = false;
      void firstRun.then(() => { done = true; });
      while (!done && !(await t.claimExists(1))) await new Promise((r) => setTimeout(r, 5));
      const t0 = Date.now();
      const first = await firstRun;
      assert.strictEqual(first.code, 0, first.stderr);
      const fullMs = Math.max(50, Date.now() - t0);
      const outcomes = { finished: 0, rolledBack: 0, cleaned: 0, completedBeforeKill: 0, nothingToDo: 0 };
      const started = Date.now();
      for (let i = 0; i < KILLS; i++) {
        const before = await t.everything();
        const next = Math.max(0, ...[...before.keys()].map((k) => parseVersionFolder(k.split('/')[0]) ?? 0)) + 1;
        const child = spawn(process.execPath, [cli, 'publish', source, uri, ...t.flags], {
          env: { PATH: process.env.PATH, HOME: '/nonexistent-tfss-home', AWS_EC2_METADATA_DISABLED: 'true', ...t.env }, stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        // Even kills: a uniformly random moment of the publish's work (from its claim on); odd kills: just after every
        // byte is in (the journal appears, the reveal starts).
        const appeared = i % 2 === 0 ? t.claimExists : t.journalExists;
        const deadline = Date.now() + fullMs * 3 + 10_000;
        while (child.exitCode === null && Date.now() < deadline && !(await appeared(next))) await new Promise((r) => setTimeout(r, 5));
        await new Promise((r) => setTimeout(r, i % 2 === 0 ? rnd() * fullMs * 0.9 : rnd() * 40));
        child.kill('SIGKILL');
        await exited;
        if (/Published version/.test(out)) outcomes.completedBeforeKill++;
        // One touch: the CLI's versions or repair, or the store's repair as the Models view runs it.
        let said: string;
        if (i % 3 === 0) said = (await runCli(['versions', uri, ...t.flags], t.env)).stderr;
        else if (i % 3 === 1) said = (await runCli(['repair', uri, ...t.flags], t.env)).stdout;
        else said = (await t.store.repair(t.model)).map((o) => o.message).join('\n');
        if (/Finished the interrupted publish/.test(said)) outcomes.finished++;
        else if (/Rolled back the interrupted publish/.test(said)) outcomes.rolledBack++;
        else if (/Removed/.test(said)) outcomes.cleaned++;
        else outcomes.nothingToDo++;
        const after = await t.everything();
        const leftovers = [...after.keys()].filter((k) => k.startsWith('.staging'));
        assert.deepStrictEqual(leftovers, [], `kill ${i}: staging left after the touch (${said})`);
        const folders = [...new Set([...after.keys()].map((k) => k.split('/')[0]))];
        for (const folder of folders) {
          assert.ok(parseVersionFolder(folder) !== undefined, `kill ${i}: unexpected folder ${folder}`);
          const files = new Map([...after].filter(([k]) => k.startsWith(`${folder}/`)).map(([k, v]) => [k.slice(folder.length + 1), v]));
          assert.deepStrictEqual(files, sizes, `kill ${i}: version ${folder} is partial (${said})`);
        }
        assert.strictEqual(await t.unfinishedUploads(), 0, `kill ${i}: unfinished multipart uploads left (${said})`);
        // Keep the server's memory bounded: remove the versions this kill produced, keep version 1.
        for (const folder of folders) if (folder !== '1') await t.store.delete(childLocation(t.model, folder));
      }
      const perKill = (Date.now() - started) / KILLS;
      console.log(`      ${label}: one publish ${fullMs} ms; ${KILLS} kills, ${Math.round(perKill)} ms per kill + touch; outcomes ${JSON.stringify(outcomes)}`);
      assert.ok(outcomes.rolledBack >= 1, `no kill was rolled back: ${JSON.stringify(outcomes)}`);
      // Buckets reveal with several requests, so kills just after the journal land inside the reveal.
      if (t.name !== 'local') assert.ok(outcomes.finished >= 1, `no interrupted reveal was finished: ${JSON.stringify(outcomes)}`);
    });
  }
});
