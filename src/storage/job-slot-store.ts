/**
 * job_slots and scheduled_jobs (migrations/0010_job_slots.sql) behind the scheduler's JobSlotStore port.
 * Every claim is one statement inside an IMMEDIATE transaction, so two processes on one database
 * file cannot both win a slot (a deferred read-then-write would fail with SQLITE_BUSY instead).
 */
import type { JobSlotStore, SlotKind, SlotOutcome } from '../scheduler/types.js';
import type { Db } from './database.js';

interface SlotRow {
  job: string;
  slot: string;
  kind: SlotKind;
  claimed_by: string;
  claimed_at: number;
  attempts: number;
  finished_at: number | null;
  outcome: SlotOutcome | null;
  error: string | null;
}

export function createJobSlotStore(db: Db): JobSlotStore {
  const registerInsert = db.prepare('INSERT INTO scheduled_jobs (job, cron, known_since) VALUES (?, ?, ?) ON CONFLICT (job) DO UPDATE SET cron = excluded.cron');
  const knownSince = db.prepare('SELECT known_since FROM scheduled_jobs WHERE job = ?').pluck();
  const insert = db.prepare(
    `INSERT INTO job_slots (job, slot, kind, claimed_by, claimed_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (job, slot) DO NOTHING RETURNING attempts`,
  );
  const takeOver = db.prepare(
    `UPDATE job_slots SET claimed_by = ?, claimed_at = ?, attempts = attempts + 1
     WHERE job = ? AND slot = ? AND finished_at IS NULL AND claimed_at < ? AND attempts < ?
     RETURNING attempts`,
  );
  const renew = db.prepare('UPDATE job_slots SET claimed_at = ? WHERE job = ? AND slot = ? AND claimed_by = ? AND finished_at IS NULL');
  const finish = db.prepare(
    'UPDATE job_slots SET finished_at = ?, outcome = ?, error = ? WHERE job = ? AND slot = ? AND claimed_by = ? AND finished_at IS NULL',
  );
  const recent = db.prepare('SELECT * FROM job_slots WHERE job = ? ORDER BY claimed_at DESC, slot DESC LIMIT ?');

  const claim = db.transaction((c: Parameters<JobSlotStore['claim']>[0]): number | undefined => {
    const fresh = insert.get(c.job, c.slot, c.kind, c.owner, c.now) as { attempts: number } | undefined;
    if (fresh) return fresh.attempts;
    const taken = takeOver.get(c.owner, c.now, c.job, c.slot, c.now - c.leaseMs, c.maxAttempts) as { attempts: number } | undefined;
    return taken?.attempts;
  });

  return {
    registerJob(job, cron, now) {
      registerInsert.run(job, cron, now);
      return { knownSince: knownSince.get(job) as number };
    },
    claim: (c) => claim.immediate(c),
    renew(job, slot, owner, now) {
      renew.run(now, job, slot, owner);
    },
    finish(job, slot, owner, r) {
      finish.run(r.now, r.outcome, r.error ?? null, job, slot, owner);
    },
    recent(job, limit) {
      return (recent.all(job, limit) as SlotRow[]).map((r) => ({
        job: r.job,
        slot: r.slot,
        kind: r.kind,
        claimedBy: r.claimed_by,
        claimedAt: r.claimed_at,
        attempts: r.attempts,
        finishedAt: r.finished_at ?? undefined,
        outcome: r.outcome ?? undefined,
        error: r.error ?? undefined,
      }));
    },
  };
}
