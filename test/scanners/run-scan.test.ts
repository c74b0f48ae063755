import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describePausedScanners, PAUSE_AFTER_FAILURES } from '../../src/scanners/scan-state.js';
import { runScan } from '../../src/scanners/run-scan.js';
import { type Scanner, ScanSkipped } from '../../src/scanners/types.js';
import { createTodoScanner } from '../../src/scanners/todo/todo-scanner.js';
import { makeGitRepo, makeTempDir } from '../harness/temp-repo.js';
import { localRepo, scanDeps } from './scan-helpers.js';

/** A scanner whose behaviour the test switches between throwing and finding one thing. */
function flakyScanner(): Scanner & { failing: boolean; calls: number } {
  const s = {
    name: 'flaky',
    description: 'fails on demand',
    failing: true,
    calls: 0,
    async scan() {
      s.calls++;
      if (s.failing) throw new Error('upstream said 502 (token ghp_abcdefghijklmnopqrstuvwxyz0123456789)');
      return [{ scanner: 'flaky', rule: 'flaky.x', title: 't', summary: 's', evidence: [], severity: 'low' as const, confidence: 0.5, suggestedTask: 'x', fingerprint: 'flaky:1' }];
    },
  };
  return s;
}

describe('runScan', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir('teammate-runscan-');
    makeGitRepo(tmp.dir, { 'a.ts': '// TODO: split this file into parser and printer\n' });
  });
  afterEach(() => tmp.cleanup());

  it(`pauses a scanner after ${PAUSE_AFTER_FAILURES} failures in a row, reports why, and runs it again once resumed`, async () => {
    const flaky = flakyScanner();
    const { deps } = scanDeps([flaky, createTodoScanner()]);
    const repo = localRepo(tmp.dir);
    for (let i = 1; i <= PAUSE_AFTER_FAILURES; i++) {
      const r = await runScan(repo, deps);
      // The other scanner is never hidden by the failing one.
      expect(r.findings.map((f) => f.scanner)).toEqual(['todo']);
      expect(r.outcomes[0]).toMatchObject({ scanner: 'flaky', status: i < PAUSE_AFTER_FAILURES ? 'failed' : 'paused' });
      expect(r.outcomes[0]?.reason).not.toContain('ghp_'); // scrubbed
    }
    const paused = await runScan(repo, deps);
    expect(flaky.calls).toBe(PAUSE_AFTER_FAILURES);
    expect(paused.outcomes[0]).toMatchObject({ scanner: 'flaky', status: 'paused' });
    expect(paused.outcomes[0]?.reason).toMatch(/paused after 3 failures in a row \(last: upstream said 502/);
    // What the digest and doctor read:
    expect(describePausedScanners(deps.state)).toEqual([
      `flaky on ${repo.id} is paused after 3 failures in a row (last: upstream said 502 (token [REDACTED])); resume with \`teammate scan --resume flaky\``,
    ]);

    flaky.failing = false;
    expect(deps.state.resume(repo.id, 'flaky')).toBe(true);
    const resumed = await runScan(repo, deps);
    expect(resumed.outcomes[0]).toMatchObject({ scanner: 'flaky', status: 'ok', findings: 1 });
    expect(deps.state.get(repo.id, 'flaky')).toMatchObject({ consecutiveFailures: 0, paused: false });
  });

  it('a folder that is not a git repository is skipped, not counted as a failure', async () => {
    const plain = makeTempDir('teammate-plain-');
    try {
      const { deps } = scanDeps([createTodoScanner()]);
      const r = await runScan(localRepo(plain.dir), deps);
      expect(r.outcomes).toMatchObject([{ scanner: 'todo', status: 'skipped', reason: 'not a git repository, or no commits yet' }]);
    } finally {
      plain.cleanup();
    }
  });

  it('a success in between resets the streak', async () => {
    const flaky = flakyScanner();
    const { deps } = scanDeps([flaky]);
    const repo = localRepo(tmp.dir);
    await runScan(repo, deps);
    await runScan(repo, deps);
    flaky.failing = false;
    await runScan(repo, deps);
    flaky.failing = true;
    await runScan(repo, deps);
    await runScan(repo, deps);
    expect(deps.state.get(repo.id, 'flaky')).toMatchObject({ consecutiveFailures: 2, paused: false });
  });

  it('skips a scanner that cannot run here with its reason, and does not count it as a failure', async () => {
    const skipping: Scanner = { name: 'review', description: 'x', scan: () => Promise.reject(new ScanSkipped('no model configured (set OPENAI_API_KEY)')) };
    const { deps } = scanDeps([skipping]);
    const repo = localRepo(tmp.dir);
    for (let i = 0; i < 4; i++) await runScan(repo, deps);
    const r = await runScan(repo, deps);
    expect(r.outcomes).toMatchObject([{ scanner: 'review', status: 'skipped', reason: 'no model configured (set OPENAI_API_KEY)' }]);
    expect(deps.state.get(repo.id, 'review')).toBeUndefined();
  });

  it('.teammate.yml switches scanners off; a bad file stops the scan with every problem listed', async () => {
    const { deps } = scanDeps([createTodoScanner()]);
    const repo = localRepo(tmp.dir);
    fs.writeFileSync(path.join(tmp.dir, '.teammate.yml'), 'scanners:\n  todo: false\n');
    const off = await runScan(repo, deps);
    expect(off.findings).toEqual([]);
    expect(off.outcomes[0]).toMatchObject({ scanner: 'todo', status: 'off' });

    fs.rmSync(path.join(tmp.dir, '.teammate.yml'));
    expect((await runScan(repo, deps, { off: ['todo'] })).outcomes[0]).toMatchObject({ scanner: 'todo', status: 'off', reason: 'switched off in the settings' });

    fs.writeFileSync(path.join(tmp.dir, '.teammate.yml'), 'scanners:\n  todoo: false\nthresholds:\n  issueAgeDays: -1\n');
    await expect(runScan(repo, deps)).rejects.toThrow(/scanners\.todoo: unknown scanner[\s\S]*thresholds\.issueAgeDays/);
  });

  it('keeps the previous cache when a scan fails half-way', async () => {
    let fail = false;
    const stateful: Scanner = {
      name: 'stateful',
      description: 'x',
      async scan(_repo, ctx) {
        ctx.state.setData({ n: ((ctx.state.data as { n?: number } | undefined)?.n ?? 0) + 1 });
        if (fail) throw new Error('boom');
        return [];
      },
    };
    const { deps } = scanDeps([stateful]);
    const repo = localRepo(tmp.dir);
    await runScan(repo, deps);
    fail = true;
    await runScan(repo, deps);
    expect(deps.state.get(repo.id, 'stateful')?.data).toEqual({ n: 1 });
  });
});
