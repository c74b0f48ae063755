import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_PR_BODY, renderPrBody } from '../../src/executors/pr-body.js';
import { detectTestCommand, runRepoTests } from '../../src/executors/run-repo-tests.js';
import { excerptTestLog, parseTestCounts } from '../../src/executors/test-log.js';
import { makeTempDir } from '../harness/temp-repo.js';

describe('parseTestCounts reads the summary lines runners print', () => {
  it.each([
    ['vitest', ' Test Files  1 failed | 3 passed (4)\n      Tests  2 failed | 40 passed (42)\n', { passed: 40, failed: 2 }],
    ['vitest, all green', '      Tests  12 passed (12)\n', { passed: 12, failed: 0 }],
    ['jest', 'Test Suites: 1 failed, 1 total\nTests:       1 failed, 5 passed, 6 total\n', { passed: 5, failed: 1 }],
    ['pytest', '============ 3 failed, 10 passed, 1 error in 0.52s ============\n', { passed: 10, failed: 4 }],
    ['cargo (summed over targets)', 'test result: ok. 3 passed; 0 failed; 0 ignored\ntest result: FAILED. 1 passed; 2 failed; 0 ignored\n', { passed: 4, failed: 2 }],
    ['node:test tap', 'ok 1 - a\n# tests 3\n# pass 2\n# fail 1\n', { passed: 2, failed: 1 }],
    ['node:test spec', 'ℹ tests 3\nℹ pass 3\nℹ fail 0\n', { passed: 3, failed: 0 }],
    ['mocha', '  7 passing (20ms)\n  1 failing\n', { passed: 7, failed: 1 }],
    ['go -v', '--- PASS: TestA (0.00s)\n--- FAIL: TestB (0.00s)\n--- PASS: TestC (0.00s)\nFAIL\n', { passed: 2, failed: 1 }],
    ['colour codes', '\u001b[2m      Tests \u001b[22m \u001b[1m\u001b[32m5 passed\u001b[39m\u001b[22m\u001b[90m (5)\u001b[39m\n', { passed: 5, failed: 0 }],
  ])('%s', (_name, log, expected) => {
    expect(parseTestCounts(log)).toEqual(expected);
  });

  it('gives no numbers when no runner summary is there', () => {
    expect(parseTestCounts('building…\nall good\n')).toBeUndefined();
  });
});

describe('excerptTestLog', () => {
  const log = Array.from({ length: 100 }, (_, i) => (i === 60 ? 'FAIL src/a.test.ts > adds' : `line ${i + 1}`)).join('\n');

  it('shows the lines around the first failure, numbered as in the log file', () => {
    const ex = excerptTestLog(log, false, 10);
    expect(ex).toMatchObject({ from: 56, to: 65, total: 100 });
    expect(ex.text.split('\n')[5]).toBe('61 | FAIL src/a.test.ts > adds');
  });

  it('shows the tail (the summary) of a passing run', () => {
    const ex = excerptTestLog(log, true, 10);
    expect(ex).toMatchObject({ from: 91, to: 100 });
    expect(ex.text.split('\n').at(-1)).toBe('100 | line 100');
  });
});

describe('renderPrBody', () => {
  it('stays within GitHub’s 65,536 characters, keeps the marker, and never shows a token', () => {
    const token = 'tok-not-shaped-like-anything-9d8f7e';
    const body = renderPrBody({
      taskId: 9,
      summary: `${token} ${'x'.repeat(100_000)}`,
      why: 'y'.repeat(50_000),
      diffStat: ' a.js | 2 +-\n'.repeat(10_000),
      tests: { command: 'npm test', ok: false, passed: 1, failed: 1, excerpt: `t.log lines 1–2 of 2:\n1 | ${'z'.repeat(90_000)}\n2 | ghp_abcdefghijklmnopqrstuvwxyz0123456789` },
      secrets: [token],
    });
    expect(body.length).toBeLessThanOrEqual(MAX_PR_BODY);
    expect(body.trimEnd().endsWith('<!-- teammate:task:9 -->')).toBe(true);
    expect(body).not.toContain(token);
    expect(body.startsWith('## Summary\n\n[REDACTED] xxx')).toBe(true);
    expect(body).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(body).toContain('failed (1 passed, 1 failed)');
  });

  it('does not let a log close its code fence early', () => {
    const body = renderPrBody({ taskId: 1, summary: 's', diffStat: 'd', tests: { command: 'npm test', ok: true, excerpt: 'log lines 1–1 of 1:\n1 | ```` oops' } });
    expect(body).toContain('`````\n1 | ```` oops\n`````');
  });
});

describe('the test command', () => {
  let tmp: { dir: string; cleanup: () => void } | undefined;
  afterEach(() => tmp?.cleanup());

  it('comes from .teammate.yml first, then is detected from the files', async () => {
    tmp = makeTempDir();
    const d = tmp.dir;
    expect(await detectTestCommand(d)).toBeUndefined();
    fs.writeFileSync(path.join(d, 'package.json'), JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1' } }));
    expect(await detectTestCommand(d)).toBeUndefined(); // npm init's placeholder is no test suite
    fs.writeFileSync(path.join(d, 'go.mod'), 'module x\n');
    expect(await detectTestCommand(d)).toBe('go test ./...');
    fs.writeFileSync(path.join(d, 'package.json'), JSON.stringify({ scripts: { test: 'vitest run' } }));
    expect(await detectTestCommand(d)).toBe('npm test');
    fs.writeFileSync(path.join(d, '.teammate.yml'), 'test: make check\n');
    expect(await detectTestCommand(d)).toBe('make check');
  });

  it('runs with a timeout that kills the whole process group, without secrets in its environment, and keeps the log', async () => {
    tmp = makeTempDir();
    const logFile = path.join(tmp.dir, 'logs', 'run.log');
    const run = await runRepoTests({
      command: 'echo "token=${GITHUB_TOKEN:-none}"; sleep 30 & wait',
      cwd: tmp.dir,
      logFile,
      timeoutMs: 500,
      baseEnv: { PATH: process.env.PATH, GITHUB_TOKEN: 'ghp_0123456789abcdefghij0123456789' },
    });
    expect(run.timedOut).toBe(true);
    expect(run.summary.ok).toBe(false);
    expect(run.durationMs).toBeLessThan(10_000);
    const log = fs.readFileSync(logFile, 'utf8');
    expect(log).toContain('token=none');
    expect(log).toContain('killed after');
  });
});
