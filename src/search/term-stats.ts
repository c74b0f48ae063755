import type { Db } from '../storage/database.js';

interface Stats {
  version: string;
  chunks: number;
  df: Map<string, number>;
}

const cache = new WeakMap<Db, Stats>();
const MAX_TERMS = 200_000;

/**
 * Document frequencies and the chunk count, cached per connection until the index changes.
 * fts5vocab counts a term's documents by walking its whole postings list (~90 µs a term, ~80 terms
 * a bug report), and the same words recur from question to question. The cache key is the index's
 * own version (indexVersion), so a stale frequency is never used.
 */
export function termStats(db: Db): { chunks: number; df: (term: string) => number } {
  const version = indexVersion(db);
  let s = cache.get(db);
  if (!s || s.version !== version) {
    const chunks = (db.prepare('SELECT count(*) FROM code_chunks').pluck().get() as number) || 1;
    s = { version, chunks, df: new Map() };
    cache.set(db, s);
  }
  const stats = s;
  if (stats.df.size > MAX_TERMS) stats.df.clear();
  const lookup = db.prepare('SELECT doc FROM code_fts_vocab WHERE term = ?').pluck();
  return {
    chunks: stats.chunks,
    df(term) {
      let n = stats.df.get(term);
      if (n === undefined) {
        n = (lookup.get(term) as number | undefined) ?? 0;
        stats.df.set(term, n);
      }
      return n;
    },
  };
}

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
