// Runs an e2e script's steps in order: after the first failure the rest are listed as skipped, and a screenshot of
// the page at the failure is saved. The counts give the closing "N passed, N failed" line.
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
  };
  return runner;
}

module.exports = { stepRunner };
