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
  const stats = statsAt(db, indexVersion(db));
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

/**
 * Remembers document frequencies read elsewhere from the same vocabulary (the rank-cache warm-up
 * reads all of it, warm-rank-cache.ts) for index `version`, so the first questions after an index
 * change do not look each word up (~50 ms of a bug report's first run on babel: idf of every
 * definition and file-name word). Ignored unless the index is still at `version`; never fills the
 * cache past half its bound, so the words queries look up still fit.
 */
export function seedDocumentFrequencies(db: Db, version: string, terms: readonly { readonly term: string; readonly docs: number }[]): void {
  if (indexVersion(db) !== version) return;
  const stats = statsAt(db, version);
  for (const t of terms) {
    if (stats.df.size >= MAX_TERMS / 2) return;
    stats.df.set(t.term, t.docs);
  }
}

function statsAt(db: Db, version: string): Stats {
  let s = cache.get(db);
  if (!s || s.version !== version) {
    const chunks = (db.prepare('SELECT count(*) FROM code_chunks').pluck().get() as number) || 1;
    s = { version, chunks, df: new Map() };
    cache.set(db, s);
  }
  return s;
}
