import type { WarmableIndex } from '../search/warm-rank-cache.js';
import type { Db } from './database.js';
import { indexVersion } from './index-version.js';
import { rankCacheSize, warmRankChunks } from './rank-chunks.js';

/** The code index as the rank-cache warm-up sees it (search/warm-rank-cache.ts), over one connection. */
export function rankCacheIndex(db: Db): WarmableIndex {
  return {
    version: () => indexVersion(db),
    chunks: () => (db.prepare('SELECT count(*) FROM code_chunks').pluck().get() as number) || 1,
    // In pages, since one scan of a large repository's vocabulary (~40k terms) takes over 100 ms.
    termsAfter: (after, limit) => db.prepare('SELECT term, doc AS docs FROM code_fts_vocab WHERE term > ? ORDER BY term LIMIT ?').all(after, limit) as { term: string; docs: number }[],
    repoIds: () => db.prepare('SELECT DISTINCT repo_id FROM code_files ORDER BY repo_id').pluck().all() as string[],
    warm: (phrase, opts, version) => warmRankChunks(db, phrase, opts, version),
    cachedPostings(version) {
      const size = rankCacheSize(db);
      return size?.version === version ? size.postings : 0;
    },
  };
}
