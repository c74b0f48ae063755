import { afterEach, describe, expect, it } from 'vitest';
import { buildDigest, digestPeriodSince } from '../../src/digests/build-digest.js';
import { renderDigestText } from '../../src/digests/render-digest-text.js';
import type { Digest } from '../../src/digests/types.js';
import { decideProposal } from '../../src/proposals/decide-proposal.js';
import { proposeFindings } from '../../src/proposals/propose-findings.js';
import { buildDigestMessage } from '../../src/slack/blocks/digest-message.js';
import { createDigestQueries } from '../../src/storage/digest-queries.js';
import { createProposalStore } from '../../src/storage/proposal-store.js';
import { createTaskQueueStore } from '../../src/storage/task-queue-store.js';
import { messageViolations } from '../slack/block-kit-limits.js';
import { DAY, cleanupDbs, finding, manualClock, tempDb } from '../proposals/fixtures.js';

afterEach(cleanupDbs);

const policy = { approvers: [], allowSelfApproval: false, executor: 'codex' };

function setup() {
  const { db } = tempDb();
  const store = createProposalStore(db);
  const queries = createDigestQueries(db);
  const clock = manualClock();
  return { db, store, queries, clock };
}

describe('buildDigest', () => {
  it('says nothing for an empty period, and nothing for scans that found only known things', async () => {
    const { store, queries, clock } = setup();
    const start = clock.now();
    expect(await buildDigest({ from: start - 7 * DAY, to: start }, { queries })).toBeUndefined();
    proposeFindings({ repoId: 'r', channel: 'C1', findings: [finding(1)] }, { store, policy: { cardBudget: 5, minConfidence: 0 }, now: clock.now });
    clock.advance(DAY);
    const from = clock.now();
    for (let i = 0; i < 3; i++) proposeFindings({ repoId: 'r', channel: 'C1', findings: [finding(1)] }, { store, policy: { cardBudget: 5, minConfidence: 0 }, now: clock.now });
    clock.advance(DAY);
    expect(await buildDigest({ from, to: clock.now() }, { queries })).toBeUndefined();
  });

  it('counts proposals, overflow, decisions, tasks, questions, votes, acceptance per scanner, suppressed and paused scanners', async () => {
    const { db, store, queries, clock } = setup();
    const from = clock.now();
    const scan = proposeFindings(
      {
        repoId: 'acme/api',
        channel: 'C1',
        findings: [1, 2, 3, 4].map((n) => finding(n)).concat([finding(5, { scanner: 'ci', rule: 'ci.failing', severity: 'critical' }), finding(6, { confidence: 0.1 })]),
      },
      { store, policy: { cardBudget: 3, minConfidence: 0.3 }, now: clock.now },
    );
    proposeFindings({ repoId: 'acme/api', channel: 'C1', findings: [finding(1)] }, { store, policy: { cardBudget: 3, minConfidence: 0.3 }, now: clock.now });
    const [ci, a, b] = scan.cards;
    const deps = { store, policy, now: clock.now };
    await decideProposal({ proposalId: ci!.id, userId: 'U1', action: 'approve', surface: 'slack' }, deps);
    await decideProposal({ proposalId: a!.id, userId: 'U1', action: 'reject', surface: 'slack' }, deps);
    await decideProposal({ proposalId: b!.id, userId: 'U1', action: 'approve', surface: 'home' }, deps);
    await decideProposal({ proposalId: scan.deck[0]!.id, userId: 'U1', action: 'snooze', surface: 'home' }, deps);
    const ins = db.prepare(
      `INSERT INTO answers (surface, channel, repo_id, question, answer, mode, created_at) VALUES ('slack', ?, 'acme/api', 'q', 'a', ?, ?) RETURNING id`,
    );
    const a1 = ins.pluck().get('C1', 'llm', clock.now()) as number;
    ins.run('C1', 'extractive', clock.now());
    ins.run('C1', 'error', clock.now());
    ins.run('C2', 'llm', clock.now());
    const vote = db.prepare('INSERT INTO answer_feedback (answer_id, user_id, value, created_at) VALUES (?, ?, ?, ?)');
    vote.run(a1, 'U1', 'up', clock.now());
    vote.run(a1, 'U2', 'up', clock.now());
    vote.run(a1, 'U3', 'down', clock.now());
    clock.advance(1);

    const digest = (await buildDigest(
      { from, to: clock.now(), channel: 'C1', repoIds: ['acme/api'] },
      { queries, pausedScanners: async () => [{ repoId: 'acme/api', scanner: 'dependencies', failures: 3, lastError: 'registry 503' }, { repoId: 'other', scanner: 'ci', failures: 3 }] },
    )) as Digest;
    expect(digest).toBeDefined();
    expect(digest.proposals).toMatchObject({ total: 5, overflow: 2, pendingNow: 1 });
    expect(digest.proposals.top.map((t) => t.scanner)[0]).toBe('ci');
    expect(digest.decisions).toEqual({ approved: 2, rejected: 1, snoozed: 1, stale: 0, resolved: 0 });
    expect(digest.tasks).toEqual({ queued: 2, running: 0, succeeded: 0, failed: 0, cancelled: 0 });
    expect(digest.questions).toEqual({ answered: 2, up: 2, down: 1 });
    expect(digest.acceptance).toEqual([
      { scanner: 'ci', approved: 1, rejected: 0, rate: 1 },
      { scanner: 'todo', approved: 1, rejected: 1, rate: 0.5 },
    ]);
    expect(digest.suppressed).toEqual({ duplicate: 1, belowThreshold: 1, budget: 2, quiet: 0 });
    expect(digest.pausedScanners).toEqual([{ repoId: 'acme/api', scanner: 'dependencies', failures: 3, lastError: 'registry 503' }]);

    const text = renderDigestText(digest);
    expect(text).toContain('Proposals: 5 new, 2 only in the Home deck; 1 waiting for a decision');
    expect(text).toContain('Decisions: 2 approved, 1 rejected, 1 snoozed, 0 stale');
    expect(text).toContain('todo: 1 approved / 1 rejected (50%)');
    expect(text).toContain('Paused: dependencies on acme/api after 3 failures (registry 503)');

    const message = buildDigestMessage(digest);
    expect(messageViolations(message)).toEqual([]);
    const json = JSON.stringify(message.blocks);
    expect(json).toContain('*Decisions*: 2 approved · 1 rejected · 1 snoozed · 0 stale');
    expect(json).toContain('1 waiting for a decision in my *Home* tab (2 never made it to a channel)');
    expect(json).toContain('Paused scanners');
    expect(message.text).toBe('Teammate digest: 5 new proposals, 2 approved, 1 rejected, 2 questions answered');
  });

  it('names what shipped (with its link) and what failed (with its reason), newest first', async () => {
    const { db, store, queries, clock } = setup();
    const from = clock.now();
    const scan = proposeFindings({ repoId: 'acme/api', channel: 'C1', findings: [finding(1), finding(2), finding(3)] }, { store, policy: { cardBudget: 5, minConfidence: 0 }, now: clock.now });
    for (const p of scan.cards) await decideProposal({ proposalId: p.id, userId: 'U1', action: 'approve', surface: 'slack' }, { store, policy, now: clock.now });
    const tasks = createTaskQueueStore(db);
    const pr = { links: [{ kind: 'pr' as const, url: 'https://github.com/acme/api/pull/12', label: 'Draft PR #12' }], summary: 'done' };
    const first = tasks.claim('w', 60_000, clock.now())!;
    clock.advance(1000);
    tasks.succeed(first.id, 'w', pr, clock.now());
    const second = tasks.claim('w', 60_000, clock.now())!;
    clock.advance(1000);
    tasks.fail(second.id, 'w', 'tests failed: 2 of 40', clock.now());
    clock.advance(1000);
    const digest = (await buildDigest({ from, to: clock.now(), repoIds: ['acme/api'] }, { queries })) as Digest;
    expect(digest.finished.shipped).toEqual([{ id: first.id, repoId: 'acme/api', title: scan.cards[0]!.title, status: 'succeeded', link: { url: 'https://github.com/acme/api/pull/12', label: 'Draft PR #12' } }]);
    expect(digest.finished.failed).toEqual([{ id: second.id, repoId: 'acme/api', title: scan.cards[1]!.title, status: 'failed', error: 'tests failed: 2 of 40' }]);
    const m = buildDigestMessage(digest);
    expect(JSON.stringify(m.blocks)).toContain('<https://github.com/acme/api/pull/12|Draft PR #12>');
    expect(JSON.stringify(m.blocks)).toContain('tests failed: 2 of 40');
    expect(messageViolations(m)).toEqual([]);
    expect(renderDigestText(digest)).toContain(`shipped #${first.id} ${scan.cards[0]!.title} (acme/api): https://github.com/acme/api/pull/12`);
  });

  it('starts the next period where the channel’s last digest ended', () => {
    const { queries, clock } = setup();
    const now = clock.now();
    expect(digestPeriodSince(queries, 'C1', now)).toEqual({ from: now - 7 * DAY, to: now });
    queries.recordDigest({ channel: 'C1', from: now - 7 * DAY, to: now - DAY, now });
    expect(digestPeriodSince(queries, 'C1', now)).toEqual({ from: now - DAY, to: now });
    expect(digestPeriodSince(queries, 'C2', now).from).toBe(now - 7 * DAY);
  });

  it('the digest message keeps Block Kit limits with huge inputs', () => {
    const long = 'x <!channel> '.repeat(2000);
    const d: Digest = {
      period: { from: 0, to: 1 },
      proposals: {
        total: 100_000,
        overflow: 99_000,
        pendingNow: 99_000,
        top: Array.from({ length: 5 }, (_, i) => ({ id: i, repoId: long, scanner: long, title: long, severity: 'high' as const, state: 'pending' as const })),
      },
      decisions: { approved: 1, rejected: 2, snoozed: 3, stale: 4, resolved: 0 },
      tasks: { queued: 1, running: 2, succeeded: 3, failed: 4, cancelled: 5 },
      finished: {
        shipped: Array.from({ length: 5 }, (_, i) => ({ id: i, repoId: long, title: long, status: 'succeeded' as const, link: { url: `https://x/${long}`, label: long } })),
        failed: Array.from({ length: 5 }, (_, i) => ({ id: i, repoId: long, title: long, status: 'failed' as const, error: long })),
      },
      questions: { answered: 1, up: 1, down: 1 },
      acceptance: Array.from({ length: 500 }, (_, i) => ({ scanner: `${long}${i}`, approved: i, rejected: 1, rate: i / (i + 1) })),
      suppressed: { duplicate: 1, belowThreshold: 2, budget: 3, quiet: 4 },
      pausedScanners: Array.from({ length: 500 }, () => ({ repoId: long, scanner: long, failures: 3, lastError: long })),
    };
    const m = buildDigestMessage(d);
    expect(messageViolations(m)).toEqual([]);
    expect(JSON.stringify(m.blocks)).not.toContain('<!channel>');
  });
});
