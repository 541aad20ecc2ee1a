// Which Node runs the project (scripts/maintainedNode.js): the tests themselves, and the built CLI started by an
// older Node (the machine's own Node 20 here), which re-runs on the Node 24 set-up installed, or says what to do.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { minimumMajor, olderNodeOnPath, projectNodeBinary } from '../../scripts/maintainedNode';

const repo = join(__dirname, '..', '..', '..');
const cli = join(repo, 'dist', 'cli.js');
const major = (v: string) => Number(v.replace(/^v/, '').split('.')[0]);

describe('a maintained Node for tests and the CLI', function () {
  this.timeout(60000);
  const older = olderNodeOnPath();
  let scratch: string;
  before(() => {
    if (!existsSync(cli)) {
      const b = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, encoding: 'utf8' });
      assert.equal(b.status, 0, b.stderr);
    }
    scratch = mkdtempSync(join(tmpdir(), 'tfs-node-'));
    // Printed by every Node process the CLI's command line starts, before the CLI itself runs.
    writeFileSync(join(scratch, 'whoRuns.js'), "process.stderr.write(`runs on ${process.version}\\n`);\n");
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('runs these tests on engines.node or newer', () => {
    assert.ok(major(process.version) >= minimumMajor(), `mocha runs on ${process.version}`);
  });

  it('re-runs the CLI started by an older Node on the project\'s Node, with the same arguments and exit code', function () {
    if (!older) this.skip(); // a machine whose only Node is maintained has nothing to switch from
    const r = spawnSync(older!.binary, [cli, 'inspect', join(repo, 'test/fixtures/tf-serving/saved_model_half_plus_two_cpu/00000123'), '--json'], {
      encoding: 'utf8', timeout: 30000, env: { ...process.env, NODE_OPTIONS: `--require ${join(scratch, 'whoRuns.js')}` },
    });
    assert.equal(r.status, 0, r.stderr);
    const runs = r.stderr.split('\n').filter((l) => l.startsWith('runs on ')).map((l) => l.slice('runs on '.length));
    assert.deepEqual(runs.map(major), [major(older!.version), major(spawnSync(projectNodeBinary()!, ['--version'], { encoding: 'utf8' }).stdout)]);
    assert.ok(JSON.parse(r.stdout).signature_def.serving_default, r.stdout);
    const bad = spawnSync(older!.binary, [cli, 'no-such-command'], { encoding: 'utf8', timeout: 30000 });
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /unknown command "no-such-command"/);
  });

  it('says which Node the CLI needs and how to get it when there is none to switch to', function () {
    if (!older) this.skip(); // only a machine with an older Node has something to switch from
    const r = spawnSync(older!.binary, [cli, '--help'], { encoding: 'utf8', timeout: 30000, env: { ...process.env, VSCODE_CS_DIR: join(scratch, 'not-set-up') } });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim(), `tfserving-studio: needs Node.js ${minimumMajor()} or newer; this is Node ${older!.version}, which no longer gets security fixes. ` +
      'Install a maintained Node (https://nodejs.org), or run `npm run setup` in the project folder: it installs Node 24 into .vscode-test-cs/node and uses it from then on.');
  });

  it('gives the shell scripts a PATH with the project\'s Node first only when the running Node is older', function () {
    const here = spawnSync(process.execPath, [join(repo, 'scripts', 'maintainedNode.js'), '--env'], { encoding: 'utf8' });
    assert.equal(here.status, 0, here.stderr);
    assert.equal(here.stdout, '');
    if (!older) this.skip(); // only a machine with an older Node has something to switch from
    const r = spawnSync(older!.binary, [join(repo, 'scripts', 'maintainedNode.js'), '--env'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const binDir = dirname(projectNodeBinary()!);
    assert.ok(r.stdout.split('\n')[0].startsWith(`export PATH='${binDir}:`), r.stdout);
    assert.match(r.stdout, new RegExp(`export npm_config_nodedir='${dirname(binDir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`));
  });
});
