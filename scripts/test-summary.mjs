#!/usr/bin/env node
// Sums the vitest JSON reports every project wrote during `scripts/test.sh` (<project>/.local/vitest-report.json)
// and ends with one plain line, "N passed, N failed", which CI reads. Exits 1 when anything failed.
// A test file that failed without a failing test (it crashed on import) and a project with a test
// script but no report (vitest did not get to the end) each count as one failure.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../..');
export const reportPath = '.local/vitest-report.json';

/** Project folders from the root workspaces (one-level globs such as "packages/*"). */
function workspaceDirs() {
  const { workspaces = [] } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  return workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [join(repoRoot, pattern)];
    const parent = join(repoRoot, pattern.slice(0, -2));
    return existsSync(parent) ? readdirSync(parent).map((entry) => join(parent, entry)) : [];
  });
}

let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];
const failures = [];

for (const dir of workspaceDirs()) {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) continue;
  const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
  if (!pkg.scripts?.test) continue;
  const file = join(dir, reportPath);
  if (!existsSync(file)) {
    failed += 1;
    lines.push(`  ${pkg.name.padEnd(32)} no report: vitest did not finish (counted as 1 failed)`);
    failures.push(`${pkg.name}: no test report`);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  let projectFailed = report.numFailedTests;
  for (const result of report.testResults) {
    const where = relative(repoRoot, result.name);
    for (const assertion of result.assertionResults) {
      if (assertion.status === 'failed') failures.push(`${where} > ${assertion.fullName}`);
    }
    if (result.status === 'failed' && !result.assertionResults.some((a) => a.status === 'failed')) {
      projectFailed += 1;
      failures.push(`${where}: ${String(result.message || 'failed to run').split('\n')[0]}`);
    }
  }
  if (report.numTotalTestSuites === 0 && report.numTotalTests === 0 && !report.success) projectFailed += 1;
  const projectSkipped = report.numPendingTests + report.numTodoTests;
  passed += report.numPassedTests;
  failed += projectFailed;
  skipped += projectSkipped;
  lines.push(
    `  ${pkg.name.padEnd(32)} ${report.numPassedTests} passed, ${projectFailed} failed` +
      (projectSkipped ? `, ${projectSkipped} skipped` : '') +
      ` (${report.testResults.length} files)`,
  );
}

console.log('\nTest results by project:');
for (const line of lines) console.log(line);
if (failures.length > 0) {
  console.log('\nFailed:');
  for (const failure of failures.slice(0, 100)) console.log(`  ${failure}`);
  if (failures.length > 100) console.log(`  … and ${failures.length - 100} more`);
}
if (skipped > 0) console.log(`\n${skipped} skipped`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
