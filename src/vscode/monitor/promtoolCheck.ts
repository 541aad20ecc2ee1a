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
