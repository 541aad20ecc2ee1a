// The extension test runner VS Code loads inside its extension host (extensionTestsPath points here,
// compiled to out/test/extension/index.js). It runs every out/test/extension/**/*.test.js with mocha and
// writes the results to test-results/extension-tests.json (override with TFS_TEST_RESULTS).
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

interface TestResult {
  title: string;
  file?: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

function findTests(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(full));
    else if (entry.name.endsWith('.test.js')) found.push(full);
  }
  return found.sort();
}

export function run(): Promise<void> {
  // __dirname is out/test/extension; the repository root is three levels up.
  const repo = path.resolve(__dirname, '../../..');
  const resultsFile = process.env.TFS_TEST_RESULTS || path.join(repo, 'test-results', 'extension-tests.json');
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 30000,
    grep: process.env.TFS_TEST_GREP || undefined,
  });
  const files = findTests(__dirname);
  files.forEach((f) => mocha.addFile(f));
  const results: TestResult[] = [];
  const write = (summary: object) => {
    fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
    fs.writeFileSync(resultsFile, JSON.stringify(summary, null, 2));
  };
  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const passes = results.filter((r) => r.state === 'passed').length;
        write({ node: process.version, files: files.map((f) => path.relative(repo, f)), passes, failures, results });
        console.log(`[extension-tests] ${passes} passing, ${failures} failing; results in ${resultsFile}`);
        // A suite that ran nothing proves nothing.
        if (failures > 0) reject(new Error(`${failures} extension test(s) failed`));
        else if (passes === 0) reject(new Error(`no extension tests ran (looked in ${__dirname})`));
        else resolve();
      });
      const file = (t: Mocha.Runnable) => (t.file ? path.relative(repo, t.file) : undefined);
      runner.on('pass', (t) => results.push({ title: t.fullTitle(), file: file(t), state: 'passed', durationMs: t.duration }));
      runner.on('pending', (t) => results.push({ title: t.fullTitle(), file: file(t), state: 'pending' }));
      runner.on('fail', (t, err: Error) => {
        results.push({ title: t.fullTitle(), file: file(t), state: 'failed', error: String(err?.stack ?? err) });
      });
    } catch (err) {
      write({ node: process.version, failures: -1, error: String(err) });
      reject(err);
    }
  });
}
