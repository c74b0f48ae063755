import type { Repository } from '../repos/repository.js';
import { chunkRows } from '../storage/chunk-rows.js';
import type { Db } from '../storage/database.js';
import { rankChunks } from '../storage/rank-chunks.js';
import { type DefinitionMatch, matchDefinitions, questionStems } from './definition-match.js';
import { applyBoosts, boostInnermostFrame, boostVerbatimSources, type ChunkRow, type FileScore } from './file-boosts.js';
import { boostMatchedFileNames } from './file-name-match.js';
import { parseQuery } from './parse-query.js';
import { detectQueryKind } from './query-kind.js';
import { CANDIDATE_CHUNKS, DEFAULT_TUNING, type RankingTuning } from './ranking-tuning.js';
import { repoToken } from './repo-key.js';
import { selectTerms, wordVariants } from './select-terms.js';
import { makeSnippet } from './snippet.js';
import { termStats } from './term-stats.js';
import type { SearchHit, SearchOptions } from './types.js';
import { vendoredDetector } from './vendored-paths.js';

/** Share of a definition name's (rarity-weighted) words a question must cover to boost its file. */
const MIN_BOOST_COVERAGE = 0.7;
/** Candidate files whose definitions are matched against a question's words. */
const DEFINITION_CANDIDATES = 60;
/** Longest definition a hit cites whole; a longer one is cited from its first line. */
const MAX_CITED_LINES = 120;

/**
 * Ranks files for a question, a lookup or a bug report (see query-kind.ts): BM25 over
 * code-aware tokens per chunk (path and definition names weighted above body), chunk scores
 * summed per file with diminishing weight, then boosted for paths the text names, definitions it
 * names, stack-trace frames (bug reports) or definitions whose name's words the question uses
 * (questions and lookups), and damped for tests/docs/examples unless asked about. One hit per
 * file; its line range covers the matched definition when there is one, else the best lines.
 */
export function searchIndex(
  db: Db,
  repo: Repository,
  query: string,
  opts: SearchOptions & { explain?: boolean } = {},
  tune: RankingTuning = DEFAULT_TUNING,
): (SearchHit & { why?: string })[] {
  const limit = opts.limit ?? 10;
  const kind = detectQueryKind(query);
  const q = parseQuery(query, kind);
  if (q.terms.length === 0) return [];
  const { terms, weights } = selectTerms(db, q, tune);
  if (terms.length === 0) return [];
  const variants = tune.plurals ? wordVariants(db, terms, tune) : new Map<string, string[]>();
  // FTS5 sums bm25 over query phrases, so repeating a term is how it gets more weight.
  const phrases = terms.flatMap((t) => Array<string>(weights.get(t) ?? 1).fill(`"${t}"`));
  // Variants count once whatever the term's weight (measured: weighting them like the term hurt).
  for (const vs of variants.values()) for (const v of vs) phrases.push(`"${v}"`);
  // The repo filter intersects every match with the repository's posting list (all its chunks);
  // when the database holds only this repository the filter is a no-op and costs ~10 % of a query.
  // Its column has weight 0, so leaving it out changes no score.
  const filter = onlyRepository(db, repo.id) ? undefined : `repo : ${repoToken(repo.id)}`;
  // The top chunks as FTS5's bm25 ranks the OR of the phrases, from per-phrase scores cached
  // until the index changes (rank-chunks.ts says why that is exact); only those are joined.
  const top = rankChunks(db, phrases, { wPath: tune.wPath, wDefs: tune.wDefs, filter, limit: CANDIDATE_CHUNKS });
  const rows = chunkRows(db, top);

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
    f.score = f.chunks.slice(0, 4).reduce((sum, c, i) => sum + -c.s * [1, tune.agg, tune.agg / 2, tune.agg / 3][i]!, 0);
    f.why.push(`bm25 ${f.score.toFixed(2)} over ${f.chunks.length} chunk(s)`);
  }
  applyBoosts(db, repo, q, query, files, tune, kind, vendoredDetector(db, repo.id, repo.root));
  if (kind === 'bug-report') boostInnermostFrame(files, tune);
  // Where a quoted error is raised (bug reports), where a hyphenated name is defined (questions).
  boostVerbatimSources(db, kind === 'bug-report' ? q.messageFragments : q.literals, files, tune);
  const stems = questionStems(kind === 'bug-report' ? '' : query);
  if (kind !== 'bug-report') boostMatchedFileNames(files.values(), stems, idfOf(db), tune.fileNameW);
  const defs = kind === 'bug-report' ? new Map<number, DefinitionMatch>() : boostMatchedDefinitions(db, files, stems, tune);

  const ranked = [...files.values()].sort((a, b) => b.score - a.score).slice(0, limit);
  // Bug reports: the definitions of the query's words only choose the lines a hit cites.
  if (kind === 'bug-report') {
    const reportStems = questionStems([...q.frameFunctions, ...q.identifiers].join(' '));
    for (const [id, d] of matchDefinitions(db, ranked.map((f) => f.fileId), reportStems, idfOf(db))) defs.set(id, d);
  }
  const getText = db.prepare('SELECT text FROM code_chunks WHERE id = ?').pluck();
  const chunkAt = db.prepare('SELECT start_line AS startLine, text FROM code_chunks WHERE file_id = ? AND start_line <= ? AND end_line >= ? LIMIT 1');
  return ranked.map((f) => {
    const d = defs.get(f.fileId);
    const hit = d && d.coverage >= 0.5 ? definitionHit(f, d, chunkAt) : undefined;
    const best = f.chunks[0] as ChunkRow;
    const snippet = hit ?? makeSnippet(getText.get(best.id) as string, best.start_line, q.terms);
    const out = { path: f.path, startLine: snippet.startLine, endLine: snippet.endLine, score: Number(f.score.toFixed(4)), snippet: snippet.text };
    return opts.explain ? { ...out, why: [...f.why, `ranked as a ${kind}`].join('; ') } : out;
  });
}

function idfOf(db: Db): (token: string) => number {
  const stats = termStats(db);
  return (t) => Math.log(1 + stats.chunks / (stats.df(t) + 1));
}

/**
 * Questions and lookups: the file holding the definition whose name is made of the words asked
 * ("where is the configuration loaded?" → loadConfig) goes up, in proportion to how well that
 * name matches compared with the best match among the candidates. A file that only imports or
 * calls the definition has no such name and gets nothing.
 */
function boostMatchedDefinitions(db: Db, files: Map<number, FileScore>, stems: ReadonlySet<string>, tune: RankingTuning): Map<number, DefinitionMatch> {
  const candidates = [...files.values()].sort((a, b) => b.score - a.score).slice(0, DEFINITION_CANDIDATES);
  const defs = matchDefinitions(db, candidates.map((f) => f.fileId), stems, idfOf(db));
  const top = Math.max(0, ...[...defs.values()].map((d) => d.score));
  if (top <= 0 || tune.defMatchW === 0) return defs;
  for (const f of candidates) {
    const d = defs.get(f.fileId);
    // Evidence, not coincidence: two or more of the name's words, and most of its name, asked about.
    if (!d || d.matched < 2 || d.coverage < MIN_BOOST_COVERAGE) continue;
    // Tests are named for the behaviour they check ("test_streaming_with_context"), in the words a
    // question uses: that names the test, not the answer, unless the question spells the test out.
    const share = f.role === 'test' && !f.definesNamed ? tune.testDefMatch : 1;
    const factor = 1 + tune.defMatchW * share * (d.score / top) ** 2;
    if (factor === 1) continue;
    f.score *= factor;
    f.why.push(`definition named like the question: ${d.name} (lines ${d.startLine}-${d.endLine}) ×${factor.toFixed(2)}`);
  }
  return defs;
}

/** A hit citing a definition: its whole range (up to MAX_CITED_LINES), the snippet its first lines. */
function definitionHit(
  f: FileScore,
  d: DefinitionMatch,
  chunkAt: { get: (...args: unknown[]) => unknown },
): { text: string; startLine: number; endLine: number } | undefined {
  const chunk = chunkAt.get(f.fileId, d.startLine, d.startLine) as { startLine: number; text: string } | undefined;
  if (!chunk) return undefined;
  const endLine = Math.min(d.endLine, d.startLine + MAX_CITED_LINES - 1);
  const lines = chunk.text.split('\n').slice(d.startLine - chunk.startLine, d.startLine - chunk.startLine + Math.min(8, endLine - d.startLine + 1));
  return { text: lines.join('\n'), startLine: d.startLine, endLine };
}

/** Whether every indexed file belongs to repoId (two index seeks on the (repo_id, path) key). */
function onlyRepository(db: Db, repoId: string): boolean {
  const first = db.prepare('SELECT repo_id FROM code_files ORDER BY repo_id LIMIT 1').pluck().get();
  const last = db.prepare('SELECT repo_id FROM code_files ORDER BY repo_id DESC LIMIT 1').pluck().get();
  return first === repoId && last === repoId;
}
