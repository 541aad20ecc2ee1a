// `promtool check config` on a generated prometheus.yml, when promtool is installed. It is optional: our own schema
// check always runs, and a missing promtool is reported as a skipped check, not a failure.
import { execFile } from 'child_process';

export type PromtoolResult =
  | { readonly ran: true; readonly ok: boolean; readonly output: string }
  | { readonly ran: false; readonly note: string };

export function promtoolCheckConfig(file: string, timeoutMs = 20_000): Promise<PromtoolResult> {
  return new Promise((resolve) => {
    // --syntax-only: the config names no rule or credential files, and the check must not dial the target.
    execFile('promtool', ['check', 'config', '--syntax-only', file], { timeout: timeoutMs }, (err, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim();
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        resolve({ ran: false, note: 'promtool is not on PATH, so only the built-in schema check ran (install Prometheus\' promtool for the full check).' });
      } else if (err && /unknown long flag '--syntax-only'/.test(output)) {
        // Older promtool (before 2.36): no --syntax-only; the plain check reads the same file.
        execFile('promtool', ['check', 'config', file], { timeout: timeoutMs }, (e2, o2, s2) => resolve({ ran: true, ok: !e2, output: `${o2}${s2}`.trim() }));
      } else {
        resolve({ ran: true, ok: !err, output });
      }
    });
  });
}

/** The full `promtool check config` on a user's file (rule files and credential files it names included), with
 * promtool's version. Undefined when promtool is not on PATH. */
export function promtoolCheckUserConfig(file: string, timeoutMs = 30_000): Promise<{ ok: boolean; output: string; version?: string } | undefined> {
  return new Promise((resolve) => {
    execFile('promtool', ['--version'], { timeout: timeoutMs }, (verr, vout, vstderr) => {
      if (verr && (verr as NodeJS.ErrnoException).code === 'ENOENT') return resolve(undefined);
      const version = `${vout}${vstderr}`.split('\n')[0].trim() || undefined;
      execFile('promtool', ['check', 'config', file], { timeout: timeoutMs }, (err, stdout, stderr) => resolve({ ok: !err, output: `${stdout}${stderr}`.trim(), version }));
    });
  });
}

/** Whether an executable promtool is on PATH, without starting a process (cheap enough for activation). */
export async function promtoolOnPath(pathEnv = process.env.PATH ?? ''): Promise<boolean> {
  const { access, constants } = await import('fs/promises');
  const { delimiter, join } = await import('path');
  const names = process.platform === 'win32' ? ['promtool.exe'] : ['promtool'];
  for (const dir of pathEnv.split(delimiter).filter(Boolean)) {
    for (const n of names) {
      try {
        await access(join(dir, n), constants.X_OK);
        return true;
      } catch {
        // not here
      }
    }
  }
  return false;
}
