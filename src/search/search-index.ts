import type { Repository } from '../repos/repository.js';
import type { Db } from '../storage/database.js';
import { hasDefinitionRules } from './definitions.js';
import { type ParsedQuery, parseQuery } from './parse-query.js';
import { repoToken } from './repo-key.js';
import { makeSnippet } from './snippet.js';
import type { SearchHit, SearchOptions } from './types.js';

/** Column weights for bm25(): repo (filter only), path, definition names, body. */
const W_PATH = Number(process.env.TEAMMATE_SEARCH_W_PATH ?? 6);
const W_DEFS = Number(process.env.TEAMMATE_SEARCH_W_DEFS ?? 4);
const W_BODY = 1;
const envNum = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
/**
 * Measured on the dev benchmark (see the bench notes): a mentioned identifier is more often the API
 * the reporter called than the place of the bug, so definition matches only nudge; a file's
 * other matching chunks add a little. TEAMMATE_SEARCH_* overrides exist for benchmarking only.
 */
const TUNE = {
  defCap: envNum('TEAMMATE_SEARCH_DEF_CAP', 3),
  defW: envNum('TEAMMATE_SEARCH_DEF_WEIGHT', 0.3),
  pathW: envNum('TEAMMATE_SEARCH_PATH_BOOST', 1.5),
  agg: envNum('TEAMMATE_SEARCH_CHUNK_AGG', 0.45),
  maxDf: envNum('TEAMMATE_SEARCH_MAX_DF', 0.25),
  maxTerms: envNum('TEAMMATE_SEARCH_MAX_TERMS', 60),
  innerW: envNum('TEAMMATE_SEARCH_INNER_FRAME_BOOST', 1.5),
  messageW: envNum('TEAMMATE_SEARCH_MESSAGE_BOOST', 1.5),
  proseDefW: envNum('TEAMMATE_SEARCH_PROSE_DEF_WEIGHT', 0),
  plurals: envNum('TEAMMATE_SEARCH_PLURALS', 1),
  verbs: envNum('TEAMMATE_SEARCH_VERBS', 1),
  postings: envNum('TEAMMATE_SEARCH_MAX_POSTINGS', 100_000),
};
const CANDIDATE_CHUNKS = 2000;

const ROLE_FACTOR: Record<string, number> = { code: 1, test: 0.45, doc: 0.35, example: 0.5, config: 0.5, script: 0.5, vendored: 0.3 };

interface ChunkRow {
  id: number;
  file_id: number;
  path: string;
  role: string;
  start_line: number;
  end_line: number;
  s: number;
}

interface FileScore {
  fileId: number;
  path: string;
  role: string;
  chunks: ChunkRow[];
  score: number;
  frameDepth?: number;
  why: string[];
}

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
  const variants = TUNE.plurals ? pluralVariants(db, terms) : new Map<string, string[]>();
  // FTS5 sums bm25 over query phrases, so repeating a term is how it gets more weight.
  const phrases = terms.flatMap((t) => Array<string>(weights.get(t) ?? 1).fill(`"${t}"`));
  // Variants count once whatever the term's weight (measured: weighting them like the term hurt).
  for (const vs of variants.values()) for (const v of vs) phrases.push(`"${v}"`);
  const match = `repo : ${repoToken(repo.id)} AND (${phrases.join(' OR ')})`;
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
  boostMessageSources(db, repo, q, files);

  const ranked = [...files.values()].sort((a, b) => b.score - a.score).slice(0, limit);
  const getText = db.prepare('SELECT text FROM code_chunks WHERE id = ?').pluck();
  return ranked.map((f) => {
    const best = f.chunks[0] as ChunkRow;
    const snippet = makeSnippet(getText.get(best.id) as string, best.start_line, q.terms);
    const hit = { path: f.path, startLine: snippet.startLine, endLine: snippet.endLine, score: Number(f.score.toFixed(4)), snippet: snippet.text };
    return opts.explain ? { ...hit, why: f.why.join('; ') } : hit;
  });
}

/**
 * The query's informative terms: present in the index, not in most chunks (those cost the most to
 * rank and say the least), at most maxTerms, preferring heavier then rarer ones.
 */
/**
 * Files whose text contains an error message from the question verbatim: where the error is
 * raised. A scan of the chunk texts (instr), run only when the question quotes an error.
 */
function boostMessageSources(db: Db, repo: Repository, q: ParsedQuery, files: Map<number, FileScore>): void {
  if (q.messageFragments.length === 0) return;
  const find = db.prepare(
    `SELECT DISTINCT c.file_id FROM code_chunks c JOIN code_files f ON f.id = c.file_id
     WHERE f.repo_id = ? AND instr(c.text, ?) > 0 LIMIT 20`,
  );
  for (const fragment of q.messageFragments) {
    for (const id of find.pluck().all(repo.id, fragment) as number[]) {
      const f = files.get(id);
      if (!f) continue;
      f.score *= TUNE.messageW;
      f.why.push(`contains "${fragment.slice(0, 40)}" ×${TUNE.messageW}`);
    }
  }
}

/** The innermost traced file in the repository gets an extra push over the outer ones. */
function boostInnermostFrame(files: Map<number, FileScore>): void {
  let best: FileScore | undefined;
  for (const f of files.values()) if (f.frameDepth !== undefined && (!best || f.frameDepth > (best.frameDepth ?? -1))) best = f;
  if (best) {
    best.score *= TUNE.innerW;
    best.why.push(`innermost traced file ×${TUNE.innerW}`);
  }
}

/**
 * Word forms of the query's terms that exist in the index ("modules" finds expand_modules.py for
 * "module"): a stemmer's main win for code, without re-indexing.
 */
function pluralVariants(db: Db, terms: readonly string[]): Map<string, string[]> {
  const exists = db.prepare('SELECT 1 FROM code_fts_vocab WHERE term = ?').pluck();
  const seen = new Set(terms);
  const out = new Map<string, string[]>();
  for (const t of terms) {
    const found = pluralForms(t).filter((f) => !seen.has(f) && exists.get(f) !== undefined);
    for (const f of found) seen.add(f);
    if (found.length > 0) out.set(t, found);
  }
  return out;
}

/**
 * Other forms of a plain word (not of snake_case wholes or short words): the other grammatical
 * number, and the stem of -ing/-ed verbs ("ignored" → ignore, "collecting" → collect).
 */
function pluralForms(t: string): string[] {
  if (t.length < 4 || t.includes('_')) return [];
  if (TUNE.verbs && t.length >= 6 && t.endsWith('ing')) return [t.slice(0, -3), `${t.slice(0, -3)}e`];
  if (TUNE.verbs && t.length >= 5 && t.endsWith('ed')) return [t.slice(0, -2), t.slice(0, -1)];
  if (t.endsWith('ies')) return [`${t.slice(0, -3)}y`];
  if (t.endsWith('s') && !t.endsWith('ss')) return [t.slice(0, -1)];
  if (t.endsWith('y')) return [`${t.slice(0, -1)}ies`, `${t}s`];
  return [`${t}s`];
}

function selectTerms(db: Db, q: ParsedQuery): { terms: string[]; weights: Map<string, number> } {
  const total = (db.prepare('SELECT count(*) FROM code_chunks').pluck().get() as number) || 1;
  const df = new Map<string, number>();
  const weights = new Map(q.weights);
  const lookup = db.prepare('SELECT doc FROM code_fts_vocab WHERE term = ?').pluck();
  const considered = q.terms.slice(0, 400);
  for (const t of considered) df.set(t, (lookup.get(t) as number | undefined) ?? 0);
  // A word the code never uses may still appear in its other number ("services" → service).
  for (const [i, t] of considered.entries()) {
    if ((df.get(t) ?? 0) > 0) continue;
    for (const f of pluralForms(t)) {
      if (df.has(f)) continue;
      const n = (lookup.get(f) as number | undefined) ?? 0;
      if (n === 0) continue;
      df.set(f, n);
      weights.set(f, weights.get(t) ?? 1);
      considered[i] = f;
      break;
    }
  }
  const present = considered.filter((t) => (df.get(t) ?? 0) > 0);
  // In a small index every word is "common"; the cut only makes sense with enough chunks.
  const informative = total < 500 ? present : present.filter((t) => (df.get(t) ?? 0) / total <= TUNE.maxDf);
  const ordered = (informative.length >= 3 ? informative : present).sort(
    (a, b) => (weights.get(b) ?? 1) - (weights.get(a) ?? 1) || (df.get(a) ?? 0) - (df.get(b) ?? 0),
  );
  // bm25 is computed for every chunk any term matches: bound the postings a query may touch so a
  // long bug report stays fast on a large repository (small ones never reach the budget).
  const out: string[] = [];
  let postings = 0;
  for (const t of ordered) {
    if (out.length >= TUNE.maxTerms) break;
    const n = df.get(t) ?? 0;
    if (out.length >= 8 && postings + n > TUNE.postings) continue;
    out.push(t);
    postings += n;
  }
  return { terms: out, weights };
}

function applyBoosts(db: Db, repo: Repository, q: ParsedQuery, raw: string, files: Map<number, FileScore>): void {
  // Only a question about tests/docs themselves lifts the damping; bug reports mention "test" a lot.
  const wantsTests = /\b(?:which|what|where|find|show|list)\b[^.?\n]{0,40}\b(?:tests?|specs?)\b|\btests? (?:for|of|covering)\b/i.test(raw);
  const wantsDocs = /\b(?:which|what|where|find|show)\b[^.?\n]{0,40}\b(?:docs?|documentation|readme)\b/i.test(raw);

  // Definitions the text mentions, weighted by how rare the name is in this repository.
  const defBoost = new Map<number, { w: number; names: string[] }>();
  if (q.identifiers.length > 0) {
    const names = [...new Set(q.identifiers.map((n) => n.toLowerCase()))].slice(0, 200);
    // One indexed lookup per name (the NOCASE index), not a scan of every definition.
    const byName = db.prepare(
      `SELECT s.file_id, lower(s.name) AS name FROM code_symbols s JOIN code_files f ON f.id = s.file_id
       WHERE s.name = ? COLLATE NOCASE AND f.repo_id = ?`,
    );
    const rows = names.flatMap((n) => byName.all(n, repo.id) as { file_id: number; name: string }[]);
    const filesPerName = new Map<string, Set<number>>();
    for (const r of rows) {
      const s = filesPerName.get(r.name) ?? new Set<number>();
      s.add(r.file_id);
      filesPerName.set(r.name, s);
    }
    const frames = new Set(q.frameFunctions.map((n) => n.toLowerCase()));
    for (const [name, ids] of filesPerName) {
      // A function in a traceback frame is evidence; a name mentioned in prose is more often the
      // API the reporter called than the place of the bug (measured: boosting those hurt Acc@1).
      const w = (frames.has(name) ? 1 : TUNE.proseDefW) / Math.log2(1 + ids.size);
      if (w === 0) continue;
      for (const id of ids) {
        const cur = defBoost.get(id) ?? { w: 0, names: [] };
        cur.w += w;
        cur.names.push(name);
        defBoost.set(id, cur);
      }
    }
  }

  const norm = (p: string) => p.replace(/\\/g, '/').replace(/^\.?\//, '');
  const namedPaths = q.paths.map(norm);
  const framePaths = q.framePaths.map(norm);
  for (const f of files.values()) {
    const d = defBoost.get(f.fileId);
    if (d && d.w > 0) {
      const factor = 1 + Math.min(d.w, TUNE.defCap) * TUNE.defW;
      f.score *= factor;
      f.why.push(`defines ${d.names.slice(0, 5).join(', ')} ×${factor.toFixed(2)}`);
    }
    // In a traceback the innermost frame inside the repository is the likeliest culprit; outer
    // frames only show how the call got there.
    let deepest = -1;
    framePaths.forEach((p, i) => {
      if (pathMatches(f.path, p)) deepest = i;
    });
    if (deepest >= 0) {
      f.frameDepth = deepest;
      f.score *= TUNE.pathW;
      f.why.push(`in the stack trace ×${TUNE.pathW}`);
    } else if (namedPaths.some((p) => pathMatches(f.path, p))) {
      f.score *= TUNE.pathW;
      f.why.push(`path named in the text ×${TUNE.pathW}`);
    }
    const kind = rankRole(f.path, f.role);
    let role = ROLE_FACTOR[kind] ?? 1;
    if (kind === 'code' && !hasDefinitionRules(f.path)) role = ROLE_FACTOR.config as number;
    if ((kind === 'test' && wantsTests) || (kind === 'doc' && wantsDocs)) role = 1;
    if (role !== 1) {
      f.score *= role;
      f.why.push(`${kind} file ×${role}`);
    }
  }
}

/** Whether `named` (possibly absolute, or a suffix such as `pkg/mod.py`) refers to `relPath`. */
function pathMatches(relPath: string, named: string): boolean {
  if (named === relPath) return true;
  return named.endsWith(`/${relPath}`) || (named.includes('/') && relPath.endsWith(`/${named}`)) || relPath === named;
}

/**
 * The stored role refined with conventions that only matter for ranking: build/release scripts
 * and vendored copies of other projects rarely hold the behaviour a question is about.
 */
function rankRole(relPath: string, stored: string): string {
  if (stored !== 'code') return stored;
  const segments = relPath.split('/');
  const base = segments[segments.length - 1] ?? '';
  if (/^(setup|noxfile|tasks|fabfile|manage|conf)\.py$/.test(base) && segments.length <= 2) return 'script';
  if (segments.slice(0, -1).some((s) => ['scripts', 'script', 'tools', 'ci', '.github'].includes(s) && segments.indexOf(s) === 0)) return 'script';
  if (segments.slice(0, -1).some((s) => ['_vendor', 'vendored', 'extern', 'externals'].includes(s))) return 'vendored';
  if (segments.indexOf('packages') > 0) return 'vendored'; // pkg/packages/<dep>: a vendored copy
  return 'code';
}
