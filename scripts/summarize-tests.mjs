// Prints the closing line of a run, "N passed, N failed[, N skipped]", from
// vitest's JSON reports (the first run, then the integration suites again on
// PostgreSQL + Redis) plus the checks that ran before them (typecheck, lint,
// build: each counts as one failure when it failed), and exits non-zero if
// anything failed.
//   node scripts/summarize-tests.mjs <report.json>... -- [failed check]...
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const dash = args.indexOf('--');
// Without `--` (the old call): one report, then the failed checks.
const files = dash >= 0 ? args.slice(0, dash) : args.slice(0, 1);
const failedChecks = dash >= 0 ? args.slice(dash + 1) : args.slice(1);

/** The second run's file names carry its engines, so a failure says which run it was. */
function runLabel(file) {
  return /-pg\.json$/.test(file) ? ' [PostgreSQL + Redis]' : '';
}

let passed = 0;
let failed = failedChecks.length;
let skipped = 0;
for (const file of files) {
  const label = runLabel(file);
  if (!fs.existsSync(file)) {
    failed += 1;
    console.error(`No test report at ${file}: the test run${label} did not finish.`);
    continue;
  }
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  for (const suite of report.testResults ?? []) {
    const name = `${path.relative(process.cwd(), suite.name)}${label}`;
    // A file that failed to load has no test results but is a failure all the same.
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) {
      failed += 1;
      console.error(`Test file failed to run: ${name}\n${suite.message ?? ''}`);
      continue;
    }
    for (const test of suite.assertionResults ?? []) {
      if (test.status === 'failed') console.error(`Failed: ${name} > ${test.fullName ?? test.title}`);
    }
  }
}
if (failedChecks.length) console.error(`Failed checks: ${failedChecks.join(', ')} (see above).`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
