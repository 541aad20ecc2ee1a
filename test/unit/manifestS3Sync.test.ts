// The S3 sidecar's shell loop, run by the real /bin/sh against a tiny stand-in for the `aws` CLI that serves a
// local folder as the bucket: versions must appear whole (renamed from a hidden folder), and leave when the
// bucket drops them.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { s3SyncArgs } from '../../src/core/k8s/s3SyncSidecar';

// `aws s3 ls s3://…/` prints "PRE <name>/" lines for prefixes; `aws s3 sync [--only-show-errors] s3://… dir`
// copies (slowly, so a half-copied version would be visible if the script exposed one).
const FAKE_AWS = `#!/bin/sh
[ "$1" = s3 ] || exit 2
case "$2" in
  ls) d="$FAKE_S3_ROOT/\${3#s3://}"; [ -d "$d" ] || { echo "An error occurred (NoSuchBucket)" >&2; exit 1; }
      for e in "$d"*; do [ -d "$e" ] && echo "                           PRE \${e##*/}/"; done; exit 0 ;;
  sync) shift 2; [ "$1" = --only-show-errors ] && shift
      src="$FAKE_S3_ROOT/\${1#s3://}"; mkdir -p "$2"
      for f in "$src"/*; do cp -r "$f" "$2/"; sleep 0.2; done ;;
  *) exit 2 ;;
esac
`;

describe('S3 sync sidecar script', function () {
  this.timeout(30_000);
  let dir: string;
  let child: ChildProcess | undefined;
  afterEach(() => { child?.kill('SIGKILL'); fs.rmSync(dir, { recursive: true, force: true }); });

  it('copies each version into a hidden folder, renames it into place, and removes versions the bucket lost', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfss-s3sync-'));
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'aws'), FAKE_AWS, { mode: 0o755 });
    const bucket = path.join(dir, 'bucket', 'bkt', 'models', 'hpt');
    for (const v of ['1', '2', 'tmp']) {
      fs.mkdirSync(path.join(bucket, v, 'variables'), { recursive: true });
      fs.writeFileSync(path.join(bucket, v, 'saved_model.pb'), `graph ${v}`);
      fs.writeFileSync(path.join(bucket, v, 'variables', 'variables.index'), `index ${v}`);
    }
    const target = path.join(dir, 'models', 'hpt');
    const [script, ...rest] = s3SyncArgs({ sourceUri: 's3://bkt/models/hpt', targetDir: target, intervalSeconds: 1 });
    child = spawn('/bin/sh', ['-c', script, ...rest], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, FAKE_S3_ROOT: path.join(dir, 'bucket') } });
    let log = '';
    child.stdout!.on('data', (d) => (log += d));
    child.stderr!.on('data', (d) => (log += d));

    // Watch the folder the server polls: every numeric folder must be complete the moment it is visible.
    let sawHidden = false;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const names = fs.existsSync(target) ? fs.readdirSync(target) : [];
      if (names.some((n) => n.startsWith('.incoming-'))) sawHidden = true;
      for (const n of names.filter((x) => /^\d+$/.test(x))) {
        assert.ok(fs.existsSync(path.join(target, n, 'variables', 'variables.index')) && fs.existsSync(path.join(target, n, 'saved_model.pb')), `version ${n} visible before complete`);
      }
      if (names.filter((x) => /^\d+$/.test(x)).length === 2) break;
      assert.ok(Date.now() < deadline, `versions did not appear: ${log}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(sawHidden, 'copies go through a hidden folder');
    assert.deepEqual(fs.readdirSync(target).sort(), ['1', '2'], 'non-numeric prefixes are not copied');
    assert.equal(fs.readFileSync(path.join(target, '2', 'saved_model.pb'), 'utf8'), 'graph 2');

    fs.rmSync(path.join(bucket, '1'), { recursive: true });
    const gone = Date.now() + 10_000;
    // The script removes the folder, then says so: wait for both (the line may arrive a moment after the removal).
    while (fs.existsSync(path.join(target, '1')) || !/left the bucket/.test(log)) {
      assert.ok(Date.now() < gone, `version 1 not removed: ${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(fs.existsSync(path.join(target, '2')));
    assert.match(log, /s3-sync: version 1 ready/);
    assert.match(log, /s3-sync: version 1 left the bucket, removed/);
  });
});
