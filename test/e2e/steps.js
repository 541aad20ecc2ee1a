// Runs an e2e script's steps in order: after the first failure the rest are listed as skipped, and a screenshot of
// the page at the failure is saved. The counts give the closing "N passed, N failed" line, printed by finish(),
// which keeps the workspace and code-server profile of a failed run for a look at its logs.
'use strict';

function stepRunner(failureScreenshot, currentPage) {
  const runner = {
    passed: 0,
    failed: 0,
    async step(name, fn) {
      if (runner.failed) { console.log(`  - ${name} (skipped)`); return; }
      const t0 = Date.now();
      try {
        await fn();
        runner.passed++;
        console.log(`  ✔ ${name} (${Date.now() - t0} ms)`);
      } catch (e) {
        runner.failed++;
        console.log(`  ✘ ${name}: ${e.message.split('\n')[0]}`);
        const page = currentPage();
        if (page) await page.screenshot({ path: failureScreenshot }).catch(() => {});
      }
    },
    /** A failure outside any step (start-up, a harness helper) counts as one failed step. */
    harnessFailed(e) {
      runner.failed++;
      console.log(`  ✘ harness: ${e.message}`);
    },
    /** Prints the summary, removes what `cleanup` removes only when everything passed, returns the exit code. */
    finish(cleanup, doneLine) {
      if (doneLine) console.log(doneLine);
      console.log(`${runner.passed} passed, ${runner.failed} failed`);
      if (!runner.failed) cleanup();
      return runner.failed ? 1 : 0;
    },
  };
  return runner;
}

module.exports = { stepRunner };
