import type { Db } from '../storage/database.js';
import { indexVersion } from '../storage/index-version.js';

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
