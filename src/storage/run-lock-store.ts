/** run_locks (migrations/0010_job_slots.sql) behind the scheduler's LeaseStore port. */
import type { LeaseStore } from '../scheduler/types.js';
import type { Db } from './database.js';

export function createRunLockStore(db: Db): LeaseStore {
  // One statement: insert the lock, or take it over only when it has expired (or is ours).
  const acquire = db.prepare(
    `INSERT INTO run_locks (key, holder, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
     WHERE run_locks.expires_at <= ? OR run_locks.holder = excluded.holder
     RETURNING holder`,
  );
  const renew = db.prepare('UPDATE run_locks SET expires_at = ? WHERE key = ? AND holder = ?');
  const release = db.prepare('DELETE FROM run_locks WHERE key = ? AND holder = ?');
  return {
    acquire: (key, holder, now, ttlMs) => acquire.get(key, holder, now + ttlMs, now) !== undefined,
    renew: (key, holder, now, ttlMs) => renew.run(now + ttlMs, key, holder).changes > 0,
    release(key, holder) {
      release.run(key, holder);
    },
  };
}
