// Prints the closing line of a run, "N passed, N failed[, N skipped]", from
// vitest's JSON report plus the checks that ran before it (typecheck, lint,
// build: each counts as one failure when it failed), and exits non-zero if
// anything failed.
import fs from 'node:fs';

const [file, ...failedChecks] = process.argv.slice(2);
let passed = 0;
let failed = failedChecks.length;
let skipped = 0;
if (file && fs.existsSync(file)) {
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  for (const suite of report.testResults ?? []) {
    // A file that failed to load has no test results but is a failure all the same.
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) {
      failed += 1;
      console.error(`Test file failed to run: ${suite.name}\n${suite.message ?? ''}`);
    }
  }
} else {
  failed += 1;
  console.error(`No test report at ${file}: the test run did not finish.`);
}
if (failedChecks.length) console.error(`Failed checks: ${failedChecks.join(', ')} (see above).`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
