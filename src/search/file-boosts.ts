import type { Repository } from '../repos/repository.js';
import type { Db } from '../storage/database.js';
import { hasDefinitionRules } from './definitions.js';
import type { ParsedQuery } from './parse-query.js';
import { ROLE_FACTOR, TUNE } from './ranking-tuning.js';

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
  why: string[];
}


/** Named paths, traceback definitions and file roles, applied to every candidate file. */
export function applyBoosts(db: Db, repo: Repository, q: ParsedQuery, raw: string, files: Map<number, FileScore>): void {
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

/** The innermost traced file in the repository gets an extra push over the outer ones. */
export function boostInnermostFrame(files: Map<number, FileScore>): void {
  let best: FileScore | undefined;
  for (const f of files.values()) if (f.frameDepth !== undefined && (!best || f.frameDepth > (best.frameDepth ?? -1))) best = f;
  if (best) {
    best.score *= TUNE.innerW;
    best.why.push(`innermost traced file ×${TUNE.innerW}`);
  }
}

/**
 * Candidate files whose text contains an error message from the question verbatim: where the
 * error is raised. Only the candidates can be boosted, so only their chunks are scanned (instr)
 * instead of every chunk of the repository; run only when the question quotes an error.
 */
export function boostMessageSources(db: Db, q: ParsedQuery, files: Map<number, FileScore>): void {
  if (q.messageFragments.length === 0 || files.size === 0) return;
  const find = db.prepare(
    `SELECT DISTINCT c.file_id FROM code_chunks c
     WHERE c.file_id IN (SELECT value FROM json_each(?)) AND instr(c.text, ?) > 0 LIMIT 20`,
  );
  const ids = JSON.stringify([...files.keys()]);
  for (const fragment of q.messageFragments) {
    for (const id of find.pluck().all(ids, fragment) as number[]) {
      const f = files.get(id);
      if (!f) continue;
      f.score *= TUNE.messageW;
      f.why.push(`contains "${fragment.slice(0, 40)}" ×${TUNE.messageW}`);
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
