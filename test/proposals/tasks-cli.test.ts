import { afterEach, describe, expect, it } from 'vitest';
import { decideProposal } from '../../src/proposals/decide-proposal.js';
import { proposeFindings } from '../../src/proposals/propose-findings.js';
import { createProposalStore } from '../../src/storage/proposal-store.js';
import { runCli } from '../harness/cli.js';
import { cleanupDbs, finding, tempDb } from './fixtures.js';

afterEach(cleanupDbs);

describe('teammate tasks and teammate digest (built binary)', () => {
  it('lists the task an approval queued, as JSON and as text', async () => {
    const { db, file } = tempDb();
    const store = createProposalStore(db);
    const now = () => Date.now();
    const { cards } = proposeFindings({ repoId: 'acme/api', channel: 'C1', findings: [finding(1), finding(2)] }, { store, policy: { cardBudget: 5, minConfidence: 0 }, now });
    const approved = await decideProposal({ proposalId: cards[0]!.id, userId: 'U1', action: 'approve', surface: 'slack' }, { store, policy: { approvers: [], allowSelfApproval: false, executor: 'github-issue' }, now });
    await decideProposal({ proposalId: cards[1]!.id, userId: 'U1', action: 'reject', surface: 'slack' }, { store, policy: { approvers: [], allowSelfApproval: false, executor: 'codex' }, now });
    db.close();
    if (approved.kind !== 'approved') throw new Error(`expected an approval, got ${approved.kind}`);

    const json = await runCli(['tasks', '--json', '--db', file]);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      { id: approved.taskId, proposalId: cards[0]!.id, status: 'queued', executor: 'github-issue', attempts: 0, lastError: null, result: null },
    ]);
    const text = await runCli(['tasks', '--db', file]);
    expect(text.stdout).toMatch(new RegExp(`^#${approved.taskId}\\s+queued\\s+github-issue\\s+attempt 0/3\\s+FIXME 1: handle the retry`));

    const digest = await runCli(['digest', '--json', '--db', file]);
    expect(digest.code).toBe(0);
    expect(JSON.parse(digest.stdout)).toMatchObject({ decisions: { approved: 1, rejected: 1 }, tasks: { queued: 1 }, proposals: { total: 2 } });
    expect((await runCli(['digest', '--db', file])).stdout).toContain('Decisions: 1 approved, 1 rejected, 0 snoozed, 0 stale');
  });

  it('says so when there is nothing, and refuses a bad flag', async () => {
    const { db, file } = tempDb();
    db.close();
    expect(JSON.parse((await runCli(['tasks', '--json', '--db', file])).stdout)).toEqual([]);
    expect((await runCli(['tasks', '--db', file])).stdout).toContain('no tasks yet');
    expect((await runCli(['digest', '--json', '--db', file])).stdout.trim()).toBe('null');
    expect((await runCli(['digest', '--db', file])).stdout).toContain('nothing to report for the last 7 days');
    const bad = await runCli(['tasks', '--status', 'done', '--db', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--status must be one of queued, running, succeeded, failed, cancelled');
  });
});
