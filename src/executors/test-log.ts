/**
 * Reading a test run's log: pass/fail counts from the summary lines common runners print, and a
 * short excerpt with line numbers for the PR body (where the failures are, else the summary).
 */

export interface TestCounts {
  readonly passed: number;
  readonly failed: number;
}

const sumOf = (log: string, re: RegExp): number | undefined => {
  let total: number | undefined;
  for (const m of log.matchAll(re)) total = (total ?? 0) + Number(m[1]);
  return total;
};

const lastOf = (log: string, re: RegExp): number | undefined => {
  let last: number | undefined;
  for (const m of log.matchAll(re)) last = Number(m[1]);
  return last;
};

/**
 * Counts from the runner's own summary: vitest (`Tests  1 failed | 2 passed (3)`), jest
 * (`Tests: 1 failed, 2 passed, 3 total`), pytest (`== 1 failed, 2 passed in 0.1s ==`), cargo
 * (`test result: ok. 3 passed; 0 failed;`, summed over targets), node:test (`# pass 3` / `ℹ pass 3`),
 * mocha (`3 passing` / `1 failing`), go (`--- PASS:` / `--- FAIL:` lines). Undefined when no
 * runner's summary is in the log: a guess would be worse than no number.
 */
export function parseTestCounts(rawLog: string): TestCounts | undefined {
  const log = rawLog.replace(/\u001b\[[0-9;]*m/g, '');
  const vitestLine = [...log.matchAll(/^\s*Tests\s{1,}(.*\(\d+\))\s*$/gm)].at(-1)?.[1];
  if (vitestLine) {
    return { passed: Number(/(\d+) passed/.exec(vitestLine)?.[1] ?? 0), failed: Number(/(\d+) failed/.exec(vitestLine)?.[1] ?? 0) };
  }
  const jestLine = [...log.matchAll(/^Tests:\s+(.*\d+ total)\s*$/gm)].at(-1)?.[1];
  if (jestLine) {
    return { passed: Number(/(\d+) passed/.exec(jestLine)?.[1] ?? 0), failed: Number(/(\d+) failed/.exec(jestLine)?.[1] ?? 0) };
  }
  const cargoPassed = sumOf(log, /^test result: \w+\. (\d+) passed;/gm);
  if (cargoPassed !== undefined) return { passed: cargoPassed, failed: sumOf(log, /^test result: \w+\. \d+ passed; (\d+) failed;/gm) ?? 0 };
  const pytestLine = [...log.matchAll(/^=+ (.*\b(?:passed|failed|error|errors)\b.*) in [\d.]+s.*=+\s*$/gm)].at(-1)?.[1];
  if (pytestLine) {
    const errors = Number(/(\d+) errors?/.exec(pytestLine)?.[1] ?? 0);
    return { passed: Number(/(\d+) passed/.exec(pytestLine)?.[1] ?? 0), failed: Number(/(\d+) failed/.exec(pytestLine)?.[1] ?? 0) + errors };
  }
  const nodePass = lastOf(log, /^[#ℹ] pass (\d+)\s*$/gm);
  if (nodePass !== undefined) return { passed: nodePass, failed: lastOf(log, /^[#ℹ] fail (\d+)\s*$/gm) ?? 0 };
  const mochaPass = lastOf(log, /^\s*(\d+) passing\b/gm);
  if (mochaPass !== undefined) return { passed: mochaPass, failed: lastOf(log, /^\s*(\d+) failing\b/gm) ?? 0 };
  const goPass = (log.match(/^\s*--- PASS: /gm) ?? []).length;
  const goFail = (log.match(/^\s*--- FAIL: /gm) ?? []).length;
  if (goPass + goFail > 0) return { passed: goPass, failed: goFail };
  return undefined;
}

const FAILURE_LINE = /\b(FAIL(ED)?|fail(ed|ing|ure)?|Error|ERROR|not ok|panicked|AssertionError)\b|✗|×/;

/**
 * Up to `maxLines` lines of the log, numbered as in the kept log file: around the first failure
 * when the run failed, else its tail (where runners print the summary).
 */
export function excerptTestLog(rawLog: string, ok: boolean, maxLines = 40): { text: string; from: number; to: number; total: number } {
  const lines = rawLog.replace(/\u001b\[[0-9;]*m/g, '').replace(/\n$/, '').split('\n');
  const total = lines.length;
  let start = Math.max(0, total - maxLines);
  if (!ok) {
    const first = lines.findIndex((l) => FAILURE_LINE.test(l));
    if (first >= 0) start = Math.max(0, Math.min(first - 5, total - maxLines));
  }
  const end = Math.min(total, start + maxLines);
  const width = String(end).length;
  const text = lines
    .slice(start, end)
    .map((l, i) => `${String(start + i + 1).padStart(width)} | ${l.length > 300 ? `${l.slice(0, 300)}…` : l}`)
    .join('\n');
  return { text, from: start + 1, to: end, total };
}
