import type { ScannerStateRecord, ScanStateStore } from '../scanners/scan-state.js';
import type { Db } from './database.js';

interface Row {
  repo_id: string;
  scanner: string;
  consecutive_failures: number;
  paused: number;
  last_error: string | null;
  last_failure_at: string | null;
  last_success_at: string | null;
  last_commit: string | null;
  data: string | null;
}

/** The scanner state port over SQLite (table `scanner_state`, migration 0008). */
export function createScanStateStore(db: Db): ScanStateStore {
  const getRow = db.prepare<[string, string], Row>('SELECT * FROM scanner_state WHERE repo_id = ? AND scanner = ?');
  const listAll = db.prepare<[], Row>('SELECT * FROM scanner_state ORDER BY repo_id, scanner');
  const listRepo = db.prepare<[string], Row>('SELECT * FROM scanner_state WHERE repo_id = ? ORDER BY scanner');
  const success = db.prepare(`
    INSERT INTO scanner_state (repo_id, scanner, consecutive_failures, paused, last_success_at, last_commit, data, updated_at)
    VALUES (@repoId, @scanner, 0, 0, @at, @commit, @data, @at)
    ON CONFLICT (repo_id, scanner) DO UPDATE SET
      consecutive_failures = 0, paused = 0, last_success_at = @at, last_commit = @commit, data = @data, updated_at = @at`);
  // One statement: two processes failing at once still count two failures, and the pause
  // decision is made on the incremented value.
  const failure = db.prepare<{ repoId: string; scanner: string; at: string; error: string; pauseAfter: number }, Row>(`
    INSERT INTO scanner_state (repo_id, scanner, consecutive_failures, paused, last_error, last_failure_at, updated_at)
    VALUES (@repoId, @scanner, 1, CASE WHEN 1 >= @pauseAfter THEN 1 ELSE 0 END, @error, @at, @at)
    ON CONFLICT (repo_id, scanner) DO UPDATE SET
      consecutive_failures = consecutive_failures + 1,
      paused = CASE WHEN consecutive_failures + 1 >= @pauseAfter THEN 1 ELSE paused END,
      last_error = @error, last_failure_at = @at, updated_at = @at
    RETURNING *`);
  const resume = db.prepare(`UPDATE scanner_state SET paused = 0, consecutive_failures = 0, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    WHERE repo_id = ? AND scanner = ? AND paused = 1`);
  return {
    get: (repoId, scanner) => {
      const row = getRow.get(repoId, scanner);
      return row ? toRecord(row) : undefined;
    },
    list: (repoId) => (repoId === undefined ? listAll.all() : listRepo.all(repoId)).map(toRecord),
    recordSuccess(repoId, scanner, r) {
      success.run({ repoId, scanner, at: r.at.toISOString(), commit: r.lastCommit ?? null, data: r.data === undefined ? null : JSON.stringify(r.data) });
    },
    recordFailure(repoId, scanner, f) {
      return toRecord(failure.get({ repoId, scanner, at: f.at.toISOString(), error: f.error, pauseAfter: f.pauseAfter })!);
    },
    resume: (repoId, scanner) => resume.run(repoId, scanner).changes > 0,
  };
}

function toRecord(row: Row): ScannerStateRecord {
  let data: unknown;
  if (row.data !== null) {
    try {
      data = JSON.parse(row.data);
    } catch {
      data = undefined; // a damaged cache means a full re-scan, not a crash
    }
  }
  return {
    repoId: row.repo_id,
    scanner: row.scanner,
    consecutiveFailures: row.consecutive_failures,
    paused: row.paused === 1,
    lastError: row.last_error ?? undefined,
    lastFailureAt: row.last_failure_at ?? undefined,
    lastSuccessAt: row.last_success_at ?? undefined,
    lastCommit: row.last_commit ?? undefined,
    data,
  };
}
