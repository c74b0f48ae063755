/**
 * ProposalStore on SQLite (migrations/0009_proposals_tasks.sql). Writes that read before they
 * write run in IMMEDIATE transactions: a deferred one would fail at once with SQLITE_BUSY when two
 * processes race (see PLATFORM-FACTS), while IMMEDIATE waits for the busy timeout and then sees
 * the winner's state — so ten concurrent clicks change a proposal once and queue one task.
 */
import type { Finding } from '../scanners/finding.js';
import type {
  DecideOutcome,
  DecisionChange,
  DecisionRecord,
  Delivery,
  Proposal,
  ProposalState,
  ProposalStore,
  ScanRunRecord,
  TaskStatus,
  TaskSummary,
  TaskWriteup,
  UpsertContext,
  UpsertResult,
} from '../proposals/types.js';
import { rankProposals } from '../proposals/rank-proposals.js';
import type { Db } from './database.js';
import { opt } from './row-values.js';

interface ProposalRow {
  id: number;
  repo_id: string;
  scanner: string;
  rule: string;
  fingerprint: string;
  title: string;
  finding: string;
  writeup: string | null;
  severity: Proposal['severity'];
  confidence: number;
  state: ProposalState;
  snooze_until: number | null;
  delivery: Delivery | null;
  channel: string | null;
  message_ts: string | null;
  thread_ts: string | null;
  requested_by: string | null;
  created_at: number;
  updated_at: number;
  proposed_at: number;
  decided_by: string | null;
  decided_at: number | null;
  decision_reason: string | null;
  task_id: number | null;
}

const SELECT_PROPOSAL = `SELECT p.*, t.id AS task_id FROM proposals p LEFT JOIN tasks t ON t.proposal_id = p.id`;

function toProposal(r: ProposalRow): Proposal {
  return {
    id: r.id,
    repoId: r.repo_id,
    scanner: r.scanner,
    rule: r.rule,
    fingerprint: r.fingerprint,
    title: r.title,
    finding: JSON.parse(r.finding) as Finding,
    writeup: r.writeup ? (JSON.parse(r.writeup) as TaskWriteup) : undefined,
    severity: r.severity,
    confidence: r.confidence,
    state: r.state,
    snoozeUntil: opt(r.snooze_until),
    delivery: opt(r.delivery),
    channel: opt(r.channel),
    messageTs: opt(r.message_ts),
    threadTs: opt(r.thread_ts),
    requestedBy: opt(r.requested_by),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    proposedAt: r.proposed_at,
    decidedBy: opt(r.decided_by),
    decidedAt: opt(r.decided_at),
    decisionReason: opt(r.decision_reason),
    taskId: opt(r.task_id),
  };
}

function repoFilter(repoIds: readonly string[] | undefined, column = 'repo_id'): { sql: string; args: string[] } {
  if (!repoIds) return { sql: '', args: [] };
  if (repoIds.length === 0) return { sql: ' AND 0', args: [] };
  return { sql: ` AND ${column} IN (${repoIds.map(() => '?').join(', ')})`, args: [...repoIds] };
}

export function createProposalStore(db: Db): ProposalStore {
  const getRow = db.prepare(`${SELECT_PROPOSAL} WHERE p.id = ?`);
  const byFingerprint = db.prepare(`${SELECT_PROPOSAL} WHERE p.repo_id = ? AND p.fingerprint = ?`);

  const get = (id: number): Proposal | undefined => {
    const r = getRow.get(id) as ProposalRow | undefined;
    return r ? toProposal(r) : undefined;
  };

  const insertStmt = db.prepare(
    `INSERT INTO proposals (repo_id, scanner, rule, fingerprint, title, finding, severity, confidence, state,
       channel, thread_ts, requested_by, created_at, updated_at, last_seen_at, proposed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  );
  const reviveStmt = db.prepare(
    `UPDATE proposals SET state = 'pending', snooze_until = NULL, delivery = NULL, message_ts = NULL,
       decided_by = NULL, decided_at = NULL, decision_reason = NULL, finding = ?, title = ?, severity = ?,
       confidence = ?, updated_at = ?, last_seen_at = ?, proposed_at = ?
     WHERE id = ?`,
  );
  const seenStmt = db.prepare('UPDATE proposals SET last_seen_at = ?, finding = ? WHERE id = ?');

  const upsert = db.transaction((finding: Finding, ctx: UpsertContext): UpsertResult => {
    const existing = byFingerprint.get(ctx.repoId, finding.fingerprint) as ProposalRow | undefined;
    const json = JSON.stringify(finding);
    if (!existing) {
      const id = (
        insertStmt.get(
            ctx.repoId, finding.scanner, finding.rule, finding.fingerprint, finding.title.slice(0, 500), json, finding.severity,
            clamp01(finding.confidence), ctx.channel ?? null, ctx.threadTs ?? null, ctx.requestedBy ?? null,
            ctx.now, ctx.now, ctx.now, ctx.now,
          ) as { id: number }
      ).id;
      return { proposal: get(id)!, outcome: 'new' };
    }
    const back =
      (existing.state === 'snoozed' && (existing.snooze_until ?? 0) <= ctx.now) ||
      existing.state === 'stale' ||
      existing.state === 'expired';
    if (back) {
      // Back to pending as a fresh proposal: where it was shown and who decided are history now
      // (the audit table keeps them); the latest evidence replaces the old one.
      reviveStmt.run(json, finding.title.slice(0, 500), finding.severity, clamp01(finding.confidence), ctx.now, ctx.now, ctx.now, existing.id);
      return { proposal: get(existing.id)!, outcome: 'returned' };
    }
    // Silent, but a pending card keeps the latest evidence (a TODO that moved lines links to its new place).
    const pending = existing.state === 'pending';
    seenStmt.run(ctx.now, pending ? json : existing.finding, existing.id);
    return { proposal: { ...toProposal(existing), finding: pending ? finding : (JSON.parse(existing.finding) as Finding) }, outcome: 'known' };
  });

  const decide = db.transaction((id: number, expected: ProposalState, c: DecisionChange): DecideOutcome => {
    const changed = db
      .prepare(
        `UPDATE proposals SET state = ?, snooze_until = ?, decided_by = ?, decided_at = ?, decision_reason = ?, updated_at = ?
         WHERE id = ? AND state = ? RETURNING id`,
      )
      .get(c.toState, c.snoozeUntil ?? null, c.userId, c.now, c.reason ?? null, c.now, id, expected) as { id: number } | undefined;
    if (!changed) return { won: false, current: get(id) };
    db.prepare(
      `INSERT INTO decisions (proposal_id, user_id, action, reason, surface, from_state, to_state, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, c.userId, c.action, c.reason ?? null, c.surface, expected, c.toState, c.now);
    let taskId: number | undefined;
    if (c.toState === 'approved' && c.task) {
      const p = getRow.get(id) as ProposalRow;
      // The UNIQUE proposal_id makes a second task impossible even if a bug got here twice.
      const row = db
        .prepare(
          `INSERT INTO tasks (proposal_id, repo_id, executor, status, attempts, max_attempts, run_at, created_at, updated_at)
           VALUES (?, ?, ?, 'queued', 0, ?, ?, ?, ?)
           ON CONFLICT (proposal_id) DO NOTHING RETURNING id`,
        )
        .get(id, p.repo_id, c.task.executor, c.task.maxAttempts ?? 3, c.now, c.now, c.now) as { id: number } | undefined;
      taskId = row?.id ?? (db.prepare('SELECT id FROM tasks WHERE proposal_id = ?').pluck().get(id) as number);
      db.prepare(`INSERT INTO task_events (task_id, kind, detail, at) VALUES (?, 'queued', ?, ?)`).run(
        taskId,
        JSON.stringify({ by: c.userId, surface: c.surface }),
        c.now,
      );
    }
    return { won: true, proposal: get(id)!, taskId };
  });

  const addReason = db.transaction((id: number, userId: string, reason: string, now: number): Proposal | undefined => {
    const changed = db
      .prepare(
        `UPDATE proposals SET decision_reason = ?, updated_at = ?
         WHERE id = ? AND decided_by = ? AND state IN ('rejected', 'snoozed') RETURNING id`,
      )
      .get(reason, now, id, userId) as { id: number } | undefined;
    if (!changed) return undefined;
    db.prepare(
      `UPDATE decisions SET reason = ? WHERE id = (SELECT id FROM decisions WHERE proposal_id = ? AND user_id = ? ORDER BY id DESC LIMIT 1)`,
    ).run(reason, id, userId);
    return get(id);
  });

  const upsertMany = db.transaction((findings: readonly Finding[], ctx: UpsertContext) => findings.map((f) => upsert(f, ctx)));
  const setDeliveryStmt = db.prepare('UPDATE proposals SET delivery = ?, channel = COALESCE(?, channel), updated_at = ? WHERE id = ?');
  const setDeliveries = db.transaction((items: readonly { id: number; delivery: Delivery }[], channel: string | undefined, now: number) => {
    for (const it of items) setDeliveryStmt.run(it.delivery, channel ?? null, now, it.id);
  });

  return {
    upsertFromFinding: (finding, ctx) => upsert.immediate(finding, ctx),
    upsertFromFindings: (findings, ctx) => upsertMany.immediate(findings, ctx),
    get,
    findByCard(channel, messageTs) {
      const r = db.prepare(`${SELECT_PROPOSAL} WHERE p.channel = ? AND p.message_ts = ?`).get(channel, messageTs) as ProposalRow | undefined;
      return r ? toProposal(r) : undefined;
    },
    decide: (id, expected, change) => decide.immediate(id, expected, change),
    addDecisionReason: (id, userId, reason, now) => addReason.immediate(id, userId, reason, now),
    setDelivery(id, delivery, channel, now) {
      setDeliveryStmt.run(delivery, channel ?? null, now, id);
    },
    setDeliveries: (items, channel, now) => setDeliveries.immediate(items, channel, now),
    recordCardPost(id, channel, messageTs, now) {
      db.prepare('UPDATE proposals SET channel = ?, message_ts = ?, updated_at = ? WHERE id = ?').run(channel, messageTs, now, id);
    },
    listUnpostedCards(channel) {
      const rows = db
        .prepare(`${SELECT_PROPOSAL} WHERE p.state = 'pending' AND p.delivery = 'channel' AND p.channel = ? AND p.message_ts IS NULL`)
        .all(channel) as ProposalRow[];
      return rankProposals(rows.map(toProposal));
    },
    saveWriteup(id, writeup, now) {
      db.prepare('UPDATE proposals SET writeup = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(writeup), now, id);
    },
    listPending(opts = {}) {
      // Ranked in one place (rankProposals) so the deck and the channel agree on "best first".
      const f = repoFilter(opts.repoIds, 'p.repo_id');
      const rows = db.prepare(`${SELECT_PROPOSAL} WHERE p.state = 'pending'${f.sql}`).all(...f.args) as ProposalRow[];
      return rankProposals(rows.map(toProposal)).slice(0, opts.limit ?? 1000);
    },
    countPending(opts = {}) {
      const f = repoFilter(opts.repoIds);
      return db.prepare(`SELECT COUNT(*) FROM proposals WHERE state = 'pending'${f.sql}`).pluck().get(...f.args) as number;
    },
    listRecentDecisions(limit) {
      const rows = db
        .prepare(
          `SELECT d.*, p.title FROM decisions d JOIN proposals p ON p.id = d.proposal_id ORDER BY d.created_at DESC, d.id DESC LIMIT ?`,
        )
        .all(limit) as Array<{
        id: number; proposal_id: number; title: string; user_id: string; action: DecisionRecord['action']; reason: string | null;
        surface: DecisionRecord['surface']; from_state: ProposalState; to_state: ProposalState; created_at: number;
      }>;
      return rows.map((r) => ({
        id: r.id,
        proposalId: r.proposal_id,
        proposalTitle: r.title,
        userId: r.user_id,
        action: r.action,
        reason: opt(r.reason),
        surface: r.surface,
        fromState: r.from_state,
        toState: r.to_state,
        createdAt: r.created_at,
      }));
    },
    listTasks(opts = {}) {
      const rows = db
        .prepare(
          `SELECT t.*, p.title FROM tasks t JOIN proposals p ON p.id = t.proposal_id
           WHERE (? IS NULL OR t.status = ?) ORDER BY t.id DESC LIMIT ?`,
        )
        .all(opts.status ?? null, opts.status ?? null, opts.limit ?? 1000) as Array<{
        id: number; proposal_id: number; repo_id: string; title: string; status: TaskStatus; executor: string; attempts: number;
        max_attempts: number; last_error: string | null; result: string | null; created_at: number; updated_at: number;
      }>;
      return rows.map(
        (r): TaskSummary => ({
          id: r.id,
          proposalId: r.proposal_id,
          repoId: r.repo_id,
          title: r.title,
          status: r.status,
          executor: r.executor,
          attempts: r.attempts,
          maxAttempts: r.max_attempts,
          lastError: opt(r.last_error),
          result: r.result === null ? undefined : parseJson(r.result),
          createdAt: r.created_at,
          updatedAt: r.updated_at,
        }),
      );
    },
    recordScanRun(run: ScanRunRecord) {
      return db
        .prepare(
          `INSERT INTO scan_runs (repo_id, scanner, channel, started_at, finished_at, findings, new_proposals, posted,
             suppressed_duplicate, suppressed_below_threshold, suppressed_budget, suppressed_quiet, error)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        )
        .pluck()
        .get(
          run.repoId, run.scanner ?? null, run.channel ?? null, run.startedAt, run.finishedAt, run.findings, run.newProposals, run.posted,
          run.suppressedDuplicate, run.suppressedBelowThreshold, run.suppressedBudget, run.suppressedQuiet, run.error ?? null,
        ) as number;
    },
  };
}

function clamp01(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}

/** A result column written by an executor; an unparsable one is shown as text rather than lost. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
