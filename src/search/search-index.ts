import type { Repository } from '../repos/repository.js';
import type { Db } from '../storage/database.js';
import { applyBoosts, boostInnermostFrame, boostMessageSources, type ChunkRow, type FileScore } from './file-boosts.js';
import { parseQuery } from './parse-query.js';
import { CANDIDATE_CHUNKS, TUNE, W_BODY, W_DEFS, W_PATH } from './ranking-tuning.js';
import { repoToken } from './repo-key.js';
import { selectTerms, wordVariants } from './select-terms.js';
import { makeSnippet } from './snippet.js';
import type { SearchHit, SearchOptions } from './types.js';

/**
 * Ranks files for a question or bug report: BM25 over code-aware tokens per chunk (path and
 * definition names weighted above body), chunk scores summed per file with diminishing weight,
 * then boosted for paths the text names, definitions it mentions and stack-trace frames, and
 * damped for tests/docs/examples unless the question is about them. One hit per file, best chunk.
 */
export function searchIndex(db: Db, repo: Repository, query: string, opts: SearchOptions & { explain?: boolean } = {}): (SearchHit & { why?: string })[] {
  const limit = opts.limit ?? 10;
  const q = parseQuery(query);
  if (q.terms.length === 0) return [];
  const { terms, weights } = selectTerms(db, q);
  if (terms.length === 0) return [];
  const variants = TUNE.plurals ? wordVariants(db, terms) : new Map<string, string[]>();
  // FTS5 sums bm25 over query phrases, so repeating a term is how it gets more weight.
  const phrases = terms.flatMap((t) => Array<string>(weights.get(t) ?? 1).fill(`"${t}"`));
  // Variants count once whatever the term's weight (measured: weighting them like the term hurt).
  for (const vs of variants.values()) for (const v of vs) phrases.push(`"${v}"`);
  // The repo filter intersects every match with the repository's posting list (all its chunks);
  // when the database holds only this repository the filter is a no-op and costs ~10 % of a query.
  // Its column has weight 0, so leaving it out changes no score.
  const match = onlyRepository(db, repo.id) ? phrases.join(' OR ') : `repo : ${repoToken(repo.id)} AND (${phrases.join(' OR ')})`;
  // Rank inside FTS5 first and join only the top chunks: joining every match before sorting costs
  // more than the ranking itself on a large repository.
  const rows = db
    .prepare(
      `WITH top AS (
         SELECT rowid AS id, bm25(code_fts, 0, ${W_PATH}, ${W_DEFS}, ${W_BODY}) AS s FROM code_fts
         WHERE code_fts MATCH ? ORDER BY s LIMIT ${CANDIDATE_CHUNKS}
       )
       SELECT c.id, c.file_id, f.path, f.role, c.start_line, c.end_line, top.s
       FROM top JOIN code_chunks c ON c.id = top.id JOIN code_files f ON f.id = c.file_id
       ORDER BY top.s`,
    )
    .all(match) as ChunkRow[];

  const files = new Map<number, FileScore>();
  for (const r of rows) {
    let f = files.get(r.file_id);
    if (!f) {
      f = { fileId: r.file_id, path: r.path, role: r.role, chunks: [], score: 0, why: [] };
      files.set(r.file_id, f);
    }
    f.chunks.push(r);
  }
  for (const f of files.values()) {
    // Rows arrive best first: the best chunk counts fully, the next ones less and less.
    f.score = f.chunks.slice(0, 4).reduce((sum, c, i) => sum + -c.s * [1, TUNE.agg, TUNE.agg / 2, TUNE.agg / 3][i]!, 0);
    f.why.push(`bm25 ${f.score.toFixed(2)} over ${f.chunks.length} chunk(s)`);
  }
  applyBoosts(db, repo, q, query, files);
  boostInnermostFrame(files);
  boostMessageSources(db, q, files);

  const ranked = [...files.values()].sort((a, b) => b.score - a.score).slice(0, limit);
  const getText = db.prepare('SELECT text FROM code_chunks WHERE id = ?').pluck();
  return ranked.map((f) => {
    const best = f.chunks[0] as ChunkRow;
    const snippet = makeSnippet(getText.get(best.id) as string, best.start_line, q.terms);
    const hit = { path: f.path, startLine: snippet.startLine, endLine: snippet.endLine, score: Number(f.score.toFixed(4)), snippet: snippet.text };
    return opts.explain ? { ...hit, why: f.why.join('; ') } : hit;
  });
}









/** Whether every indexed file belongs to repoId (two index seeks on the (repo_id, path) key). */
function onlyRepository(db: Db, repoId: string): boolean {
  const first = db.prepare('SELECT repo_id FROM code_files ORDER BY repo_id LIMIT 1').pluck().get();
  const last = db.prepare('SELECT repo_id FROM code_files ORDER BY repo_id DESC LIMIT 1').pluck().get();
  return first === repoId && last === repoId;
}
