import { matchNameParts } from './definition-match.js';
import type { FileScore } from './file-boosts.js';
import { splitIdentifier } from './tokenize.js';

/** Words that give a file's role, not its subject: `test_sessions.py` is about sessions. */
const ROLE_MARKERS: ReadonlySet<string> = new Set(['test', 'tests', 'spec', 'specs', 'unittest']);
/** Evidence, not coincidence (as for definition names): two of the name's words, and most of it. */
const MIN_MATCHED = 2;
const MIN_COVERAGE = 0.7;

/** How well a file's name is made of the words a question uses. */
export interface FileNameMatch {
  /** Share of the name's (rarity-weighted) words the question has (0–1). */
  readonly coverage: number;
  /** How many of the name's words the question has. */
  readonly matched: number;
  /** Summed rarity of the matched words times the coverage. */
  readonly score: number;
}

/**
 * Files are named after what they hold (`docstring_checker.py`, `session_interface.py`,
 * `load-config.ts`): which of a file name's words (split like identifiers, rarer words weighing
 * more) a question uses in some word form. Directory names are left out: they group many files,
 * and the path column of the full-text index already counts them.
 */
export function matchFileName(relPath: string, stems: ReadonlySet<string>, idf: (token: string) => number): FileNameMatch {
  const base = relPath.slice(relPath.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  const name = dot > 0 ? base.slice(0, dot) : base;
  const parts = splitIdentifier(name.replace(/[-.]+/g, '_')).filter((p) => p.length >= 2 && !/^\d+$/.test(p) && !ROLE_MARKERS.has(p));
  // Glued words are not matched in file names: measured, no gain on the question set.
  const { matched, weight, total } = matchNameParts(parts, stems, idf, { glued: false });
  const coverage = total > 0 ? weight / total : 0;
  return { coverage, matched, score: weight * coverage };
}

/**
 * Questions: a candidate file whose name the question spells out ("the docstring checker" →
 * docstring_checker.py) goes up, in proportion to how well its name matches compared with the
 * best-named candidate, like definitions named by the question (search-index.ts).
 */
export function boostMatchedFileNames(files: Iterable<FileScore>, stems: ReadonlySet<string>, idf: (token: string) => number, weight: number): void {
  if (weight === 0 || stems.size === 0) return;
  const scored = [...files].map((f) => ({ f, m: matchFileName(f.path, stems, idf) }));
  const top = Math.max(0, ...scored.map(({ m }) => m.score));
  if (top <= 0) return;
  for (const { f, m } of scored) {
    if (m.matched < MIN_MATCHED || m.coverage < MIN_COVERAGE) continue;
    const factor = 1 + weight * (m.score / top) ** 2;
    f.score *= factor;
    f.why.push(`file named like the question ×${factor.toFixed(2)}`);
  }
}
