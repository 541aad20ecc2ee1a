// The built CLI bundle (dist/cli.js) for tests that run it as a user would: rebuilt when missing or older than the
// sources, so a test never runs a stale bundle and never skips for want of one.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(REPO, 'dist', 'cli.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** dist/cli.js, built first if it is missing or older than src/ (call it from a hook with a minute to spare). */
export function builtCli(): string {
  if (!fs.existsSync(CLI) || fs.statSync(CLI).mtimeMs < newestMtime(path.join(REPO, 'src'))) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, encoding: 'utf8' });
    assert.strictEqual(b.status, 0, b.stderr);
  }
  return CLI;
}
