import { TASK_STATUSES } from '../proposals/types.js';
import type { Digest, DigestPeriod, DigestPorts } from './types.js';

const TOP = 5;
/** Shipped and failed tasks listed by name (the counts cover the rest). */
const FINISHED = 5;
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * What happened in `period`, or undefined when there is nothing to say (no new proposals,
 * decisions, task changes, questions or paused scanners): an empty digest is never posted.
 */
export async function buildDigest(period: DigestPeriod, ports: DigestPorts): Promise<Digest | undefined> {
  const q = ports.queries;
  const proposals = q.proposalsIn(period, TOP);
  const decisions = q.decisionsIn(period);
  const tasks = q.tasksIn(period);
  const questions = q.questionsIn(period);
  const suppressed = q.suppressedIn(period);
  const pausedScanners = ports.pausedScanners ? [...(await ports.pausedScanners())].filter((s) => !period.repoIds || period.repoIds.includes(s.repoId)) : [];
  const anything =
    proposals.total > 0 ||
    decisions.approved + decisions.rejected + decisions.snoozed + decisions.stale > 0 ||
    TASK_STATUSES.some((s) => tasks[s] > 0) ||
    questions.answered + questions.up + questions.down > 0 ||
    pausedScanners.length > 0;
  // Suppressed counts and retired proposals alone are not news: scans that found only known
  // things, or only that some were fixed, stay silent.
  if (!anything) return undefined;
  return {
    period,
    proposals: { ...proposals, pendingNow: q.pendingCount(period) },
    decisions,
    tasks,
    finished: q.finishedTasksIn(period, FINISHED),
    questions,
    acceptance: q.acceptanceIn(period),
    suppressed,
    pausedScanners,
  };
}

/** From the end of the channel's last digest (or a week back) to now. */
export function digestPeriodSince(queries: Pick<DigestPorts['queries'], 'lastDigestEnd'>, channel: string, now: number, fallbackMs = WEEK_MS): { from: number; to: number } {
  const last = queries.lastDigestEnd(channel);
  return { from: last !== undefined && last < now ? last : now - fallbackMs, to: now };
}
