import type { Db } from './database.js';

/** One term of the code index and the number of chunks (documents) it occurs in. */
export interface IndexTerm {
  readonly term: string;
  readonly docs: number;
}

/**
 * The index's terms after `after` in term order, at most `limit`: the vocabulary read in pages,
 * since one scan of a large repository's (~40k terms) takes over 100 ms, and a background reader
 * must let queries run between pages.
 */
export function indexTermsAfter(db: Db, after: string, limit: number): IndexTerm[] {
  return db.prepare('SELECT term, doc AS docs FROM code_fts_vocab WHERE term > ? ORDER BY term LIMIT ?').all(after, limit) as IndexTerm[];
}

/** The repositories that have chunks in the index, by id. */
export function indexedRepoIds(db: Db): string[] {
  return db.prepare('SELECT DISTINCT repo_id FROM code_files ORDER BY repo_id').pluck().all() as string[];
}
