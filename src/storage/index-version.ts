import type { Db } from './database.js';

let unshared = 0;

/**
 * A key that changes when the code index changes, and only then: FTS5's structure record (its
 * cookie and write counter change with every segment, merge or tombstone written) and averages
 * record (row count, token totals), ~100 bytes read in a few µs. SQLite's data_version would change
 * with every commit to any table by another connection (idempotency keys, answers, job slots: each
 * Slack message), emptying the caches between two questions. Inside an open transaction this
 * connection's own index writes may still be pending in FTS5's memory, so nothing is shared there.
 */
export function indexVersion(db: Db): string {
  if (db.inTransaction) return `in-transaction:${++unshared}`;
  const records = db.prepare('SELECT hex(block) FROM code_fts_data WHERE id IN (1, 10) ORDER BY id').pluck().all() as string[];
  return records.join(':');
}
