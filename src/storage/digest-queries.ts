/** The digest's reads over proposals, decisions, tasks, scan_runs, answers and answer_feedback. */
import type { DigestPeriod, DigestProposal, DigestQueries, DigestTask } from '../digests/types.js';
import { TASK_STATUSES, type TaskStatus } from '../proposals/types.js';
import { rankProposals } from '../proposals/rank-proposals.js';
import type { Db } from './database.js';

function repos(period: DigestPeriod, column: string): { sql: string; args: string[] } {
  if (!period.repoIds) return { sql: '', args: [] };
  if (period.repoIds.length === 0) return { sql: ' AND 0', args: [] };
  return { sql: ` AND ${column} IN (${period.repoIds.map(() => '?').join(', ')})`, args: [...period.repoIds] };
}

/** The first `{url, label}` of a task's stored result (the executor lists the PR first). */
function firstLink(result: string | null): DigestTask['link'] {
  if (!result) return undefined;
  try {
    const first = (JSON.parse(result) as { links?: Array<{ url?: unknown; label?: unknown }> }).links?.[0];
    return typeof first?.url === 'string' ? { url: first.url, ...(typeof first.label === 'string' ? { label: first.label } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

export function createDigestQueries(db: Db): DigestQueries {
  return {
    proposalsIn(period, topLimit) {
      const f = repos(period, 'repo_id');
      const rows = db
        .prepare(
          `SELECT id, repo_id, scanner, title, severity, confidence, state, delivery, created_at, finding
           FROM proposals WHERE proposed_at >= ? AND proposed_at < ?${f.sql}`,
        )
        .all(period.from, period.to, ...f.args) as Array<{
        id: number; repo_id: string; scanner: string; title: string; severity: DigestProposal['severity']; confidence: number;
        state: DigestProposal['state']; delivery: DigestProposal['delivery'] | null; created_at: number; finding: string;
      }>;
      const ranked = rankProposals(
        rows.map((r) => ({ ...r, createdAt: r.created_at, finding: { meta: (JSON.parse(r.finding) as { meta?: Record<string, string | number | boolean | null> }).meta } })),
      );
      return {
        total: rows.length,
        overflow: rows.filter((r) => r.delivery === 'deck').length,
        top: ranked.slice(0, topLimit).map((r) => ({
          id: r.id, repoId: r.repo_id, scanner: r.scanner, title: r.title, severity: r.severity, state: r.state, delivery: r.delivery ?? undefined,
        })),
      };
    },
    pendingCount(period) {
      const f = repos(period, 'repo_id');
      return db.prepare(`SELECT COUNT(*) FROM proposals WHERE state = 'pending'${f.sql}`).pluck().get(...f.args) as number;
    },
    decisionsIn(period) {
      const f = repos(period, 'p.repo_id');
      const rows = db
        .prepare(
          `SELECT d.to_state AS state, COUNT(*) AS n FROM decisions d JOIN proposals p ON p.id = d.proposal_id
           WHERE d.created_at >= ? AND d.created_at < ?${f.sql} GROUP BY d.to_state`,
        )
        .all(period.from, period.to, ...f.args) as Array<{ state: string; n: number }>;
      const n = (s: string) => rows.find((r) => r.state === s)?.n ?? 0;
      return { approved: n('approved'), rejected: n('rejected'), snoozed: n('snoozed'), stale: n('stale'), resolved: n('expired') };
    },
    tasksIn(period) {
      const f = repos(period, 'repo_id');
      const rows = db
        .prepare(`SELECT status, COUNT(*) AS n FROM tasks WHERE updated_at >= ? AND updated_at < ?${f.sql} GROUP BY status`)
        .all(period.from, period.to, ...f.args) as Array<{ status: TaskStatus; n: number }>;
      return Object.fromEntries(TASK_STATUSES.map((s) => [s, rows.find((r) => r.status === s)?.n ?? 0])) as Record<TaskStatus, number>;
    },
    finishedTasksIn(period, limit) {
      const f = repos(period, 't.repo_id');
      const rows = db
        .prepare(
          `SELECT t.id, t.repo_id, t.status, t.result, t.last_error, p.title FROM tasks t JOIN proposals p ON p.id = t.proposal_id
           WHERE t.status = ? AND t.finished_at >= ? AND t.finished_at < ?${f.sql} ORDER BY t.finished_at DESC, t.id DESC LIMIT ?`,
        );
      const of = (status: DigestTask['status']) =>
        (rows.all(status, period.from, period.to, ...f.args, limit) as Array<{ id: number; repo_id: string; status: DigestTask['status']; result: string | null; last_error: string | null; title: string }>).map(
          (r): DigestTask => {
            const link = firstLink(r.result);
            return { id: r.id, repoId: r.repo_id, title: r.title, status: r.status, ...(link ? { link } : {}), ...(r.last_error ? { error: r.last_error } : {}) };
          },
        );
      return { shipped: of('succeeded'), failed: of('failed') };
    },
    questionsIn(period) {
      const byChannel = period.channel === undefined ? '' : ' AND a.channel = ?';
      const chan = period.channel === undefined ? [] : [period.channel];
      const answered = db
        .prepare(`SELECT COUNT(*) FROM answers a WHERE a.created_at >= ? AND a.created_at < ? AND a.mode != 'error'${byChannel}`)
        .pluck()
        .get(period.from, period.to, ...chan) as number;
      const votes = db
        .prepare(
          `SELECT f.value, COUNT(*) AS n FROM answer_feedback f JOIN answers a ON a.id = f.answer_id
           WHERE f.created_at >= ? AND f.created_at < ?${byChannel} GROUP BY f.value`,
        )
        .all(period.from, period.to, ...chan) as Array<{ value: 'up' | 'down'; n: number }>;
      return { answered, up: votes.find((v) => v.value === 'up')?.n ?? 0, down: votes.find((v) => v.value === 'down')?.n ?? 0 };
    },
    acceptanceIn(period) {
      const f = repos(period, 'p.repo_id');
      const rows = db
        .prepare(
          `SELECT p.scanner, SUM(d.to_state = 'approved') AS approved, SUM(d.to_state = 'rejected') AS rejected
           FROM decisions d JOIN proposals p ON p.id = d.proposal_id
           WHERE d.created_at >= ? AND d.created_at < ?${f.sql}
           GROUP BY p.scanner HAVING approved + rejected > 0 ORDER BY p.scanner`,
        )
        .all(period.from, period.to, ...f.args) as Array<{ scanner: string; approved: number; rejected: number }>;
      return rows.map((r) => ({ scanner: r.scanner, approved: r.approved, rejected: r.rejected, rate: r.approved / (r.approved + r.rejected) }));
    },
    suppressedIn(period) {
      const f = repos(period, 'repo_id');
      const r = db
        .prepare(
          `SELECT COALESCE(SUM(suppressed_duplicate), 0) AS duplicate, COALESCE(SUM(suppressed_below_threshold), 0) AS belowThreshold,
             COALESCE(SUM(suppressed_budget), 0) AS budget, COALESCE(SUM(suppressed_quiet), 0) AS quiet
           FROM scan_runs WHERE started_at >= ? AND started_at < ?${f.sql}`,
        )
        .get(period.from, period.to, ...f.args) as { duplicate: number; belowThreshold: number; budget: number; quiet: number };
      return { ...r };
    },
    lastDigestEnd(channel) {
      return (db.prepare('SELECT MAX(period_to) FROM digests WHERE channel = ?').pluck().get(channel) as number | null) ?? undefined;
    },
    recordDigest(d) {
      return db
        .prepare('INSERT INTO digests (channel, period_from, period_to, message_ts, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id')
        .pluck()
        .get(d.channel, d.from, d.to, d.messageTs ?? null, d.now) as number;
    },
  };
}
