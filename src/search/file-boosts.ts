import type { Repository } from '../repos/repository.js';
import type { Db } from '../storage/database.js';
import type { ParsedQuery } from './parse-query.js';
import type { QueryKind } from './query-kind.js';
import { type RankingTuning, ROLE_FACTOR } from './ranking-tuning.js';

/** A ranked chunk with its file: the row search-index aggregates per file (read by storage/chunk-rows.ts). */
export interface ChunkRow {
  id: number;
  file_id: number;
  path: string;
  role: string;
  start_line: number;
  end_line: number;
  s: number;
}

export interface FileScore {
  fileId: number;
  path: string;
  role: string;
  chunks: ChunkRow[];
  score: number;
  frameDepth?: number;
  /** Whether the file defines an identifier the text names. */
  definesNamed?: boolean;
  why: string[];
}


/**
 * A question that is about tests themselves ("the test class that…", "which tests cover…"). A bug
 * report says "test" all the time, so it only counts when asked in the report's own words. A bare
 * plural ("repeated across blueprint test cases", "visible to multiple test functions") speaks of
 * the test suite in general, not of a test to find: only the singular kind noun counts.
 */
const ASKS_FOR_TESTS_REPORT = /\b(?:which|what|where|find|show|list)\b[^.?\n]{0,40}\b(?:tests?|specs?)\b|\btests? (?:for|of|covering)\b/i;
const ASKS_FOR_TESTS_QUESTION =
  /\b(?:the|this|that|a)\s+(?:[\w-]+\s+){0,2}?(?:tests?|specs?)\b(?!\s+(?:runner|framework|session|collection|suite|items?|outcomes?|results?|reports?|discovery|execution))|\b(?:test|spec) (?:class|function|method|module|case|file)\b(?!s)|\btests? (?:for|of|covering)\b/i;
/** Whether the text asks about tests themselves, so test files are not damped. */
export function asksForTests(raw: string, kind: QueryKind): boolean {
  return (kind === 'bug-report' ? ASKS_FOR_TESTS_REPORT : ASKS_FOR_TESTS_QUESTION).test(raw);
}

const ASKS_FOR_DOCS = /\b(?:which|what|where|find|show)\b[^.?\n]{0,40}\b(?:docs?|documentation|readme)\b/i;

/**
 * Named paths, named definitions (traceback frames in a bug report; any identifier a question
 * names) and file roles, applied to every candidate file.
 */
export function applyBoosts(
  db: Db,
  repo: Repository,
  q: ParsedQuery,
  raw: string,
  files: Map<number, FileScore>,
  tune: RankingTuning,
  kind: QueryKind,
  vendored: (relPath: string) => boolean,
): void {
  // Only a question about tests/docs themselves lifts the damping.
  const wantsTests = asksForTests(raw, kind);
  const wantsDocs = ASKS_FOR_DOCS.test(raw);

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
      // In a question, a name it spells out is what it asks about.
      const w = (frames.has(name) || kind !== 'bug-report' ? 1 : 0) / Math.log2(1 + ids.size);
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
      const factor = 1 + Math.min(d.w, tune.defCap) * (kind === 'bug-report' ? tune.defW : tune.namedDefW);
      f.score *= factor;
      f.definesNamed = true;
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
      f.score *= tune.pathW;
      f.why.push(`in the stack trace ×${tune.pathW}`);
    } else if (namedPaths.some((p) => pathMatches(f.path, p))) {
      f.score *= tune.pathW;
      f.why.push(`path named in the text ×${tune.pathW}`);
    }
    const fileKind = rankRole(f.path, f.role, vendored);
    let role = ROLE_FACTOR[fileKind] ?? 1;
    if (fileKind === 'test' && wantsTests) role = Math.max(role, tune.askedTestRole);
    // Guides explain what a question asks about; release notes name every feature and explain
    // none, so for questions they keep the full damping.
    if (fileKind === 'doc' && kind !== 'bug-report') role = tune.questionDocRole;
    if ((fileKind === 'doc' || fileKind === 'changelog') && wantsDocs) role = 1;
    // A question that names a definition asks about the file defining it, whatever its role: the
    // damping is a prior for unnamed behaviour. A name defined in several files lifts it less.
    if (kind !== 'bug-report' && d && d.w > 0 && role < 1 && tune.namedLiftsRole > 0) role += (1 - role) * Math.min(1, d.w * tune.namedLiftsRole);
    if (role !== 1) {
      f.score *= role;
      f.why.push(`${fileKind} file ×${role}`);
    }
  }
}

/** The innermost traced file in the repository gets an extra push over the outer ones. */
export function boostInnermostFrame(files: Map<number, FileScore>, tune: RankingTuning): void {
  let best: FileScore | undefined;
  for (const f of files.values()) if (f.frameDepth !== undefined && (!best || f.frameDepth > (best.frameDepth ?? -1))) best = f;
  if (best) {
    best.score *= tune.innerW;
    best.why.push(`innermost traced file ×${tune.innerW}`);
  }
}

/**
 * Candidate files whose text holds one of `fragments` verbatim: an error message from a bug report
 * (where the error is raised), or a hyphenated name from a question (where the lint rule, flag or
 * key is defined). Only the candidates can be boosted, so only their chunks are scanned (instr)
 * instead of every chunk of the repository; run only when the text has such fragments.
 */
export function boostVerbatimSources(db: Db, fragments: readonly string[], files: Map<number, FileScore>, tune: RankingTuning): void {
  if (fragments.length === 0 || files.size === 0) return;
  const find = db.prepare(
    `SELECT DISTINCT c.file_id FROM code_chunks c
     WHERE c.file_id IN (SELECT value FROM json_each(?)) AND instr(c.text, ?) > 0 LIMIT 20`,
  );
  const ids = JSON.stringify([...files.keys()]);
  for (const fragment of fragments) {
    for (const id of find.pluck().all(ids, fragment) as number[]) {
      const f = files.get(id);
      if (!f) continue;
      f.score *= tune.messageW;
      f.why.push(`contains "${fragment.slice(0, 40)}" ×${tune.messageW}`);
    }
  }
}

/** Whether `named` (possibly absolute, or a suffix such as `pkg/mod.py`) refers to `relPath`. */
function pathMatches(relPath: string, named: string): boolean {
  if (named === relPath) return true;
  return named.endsWith(`/${relPath}`) || (named.includes('/') && relPath.endsWith(`/${named}`)) || relPath === named;
}

// Release notes by file name (CHANGES.rst, CHANGELOG.md, HISTORY, NEWS) or folder (whatsnew/, changelog/, announce/).
const RELEASE_NOTES = /(?:^|\/)(?:changes|changelog|history|news|release[-_]?notes?)(?:\.[a-z]+)?$|(?:^|\/)(?:whatsnew|announce|changelog|changes|release[-_]?notes)\//i;

// Build and task-runner entry points at the repository root, in the common ecosystems.
const ROOT_SCRIPTS = /^(?:setup|noxfile|tasks|fabfile|manage|conf|gulpfile|gruntfile|jakefile|rakefile|makefile|justfile|build|configure|dangerfile)\.[a-z]+$|\.config\.[cm]?[jt]s$|^(?:makefile|rakefile|justfile|gemfile|dockerfile)$/i;
const SCRIPT_DIRS = new Set(['scripts', 'script', 'tools', 'ci', '.github', '.circleci', 'bin']);

/**
 * The stored role refined with conventions that only matter for ranking: build/release scripts
 * and vendored copies of other projects rarely hold the behaviour a question is about.
 */
export function rankRole(relPath: string, stored: string, vendored: (relPath: string) => boolean = () => false): string {
  if (stored === 'doc' && RELEASE_NOTES.test(relPath)) return 'changelog';
  if (stored !== 'code') return stored;
  const segments = relPath.split('/');
  const base = segments[segments.length - 1] ?? '';
  if (segments.length === 1 && ROOT_SCRIPTS.test(base)) return 'script';
  if (segments.length > 1 && SCRIPT_DIRS.has(segments[0] as string)) return 'script';
  if (vendored(relPath)) return 'vendored';
  // Run-control files, data without an extension and unknown formats are configuration-like;
  // source in any programming language (with or without definition rules) is code.
  if (!isSourceFile(base)) return 'config';
  return 'code';
}

const SOURCE_EXTS = new Set(
  `py pyi pyx pxd js jsx mjs cjs ts tsx mts cts vue svelte astro go rs rb rake java kt kts scala sc groovy gradle cs fs fsx vb
  swift m mm c h cc cpp cxx hpp hh hxx ino cu php pl pm t lua r jl ex exs erl hrl hs lhs ml mli clj cljs cljc edn dart elm
  zig nim cr d v sv vhd vhdl sol move cairo tf hcl nix sh bash zsh fish ps1 psm1 bat cmd sql graphql gql proto thrift
  html htm xhtml css scss sass less styl twig jinja jinja2 j2 erb ejs hbs mustache liquid njk pug haml slim tpl
  cmake mk asm s wat`.split(/\s+/).filter(Boolean),
);
const SOURCE_NAMES = new Set(['makefile', 'dockerfile', 'rakefile', 'gemfile', 'justfile', 'vagrantfile', 'jenkinsfile', 'cmakelists.txt', 'build', 'workspace']);

/** Whether a file name is source code in some programming, markup or build language. */
function isSourceFile(base: string): boolean {
  const lower = base.toLowerCase();
  const dot = lower.lastIndexOf('.');
  if (dot <= 0) return SOURCE_NAMES.has(lower);
  return SOURCE_EXTS.has(lower.slice(dot + 1));
}
