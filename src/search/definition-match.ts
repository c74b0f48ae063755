import type { Db } from '../storage/database.js';
import { STOPWORDS } from './stopwords.js';
import { splitIdentifier, tokenizeCode } from './tokenize.js';

/** The definition of a file whose name best matches the words of a question. */
export interface DefinitionMatch {
  readonly name: string;
  readonly startLine: number;
  readonly endLine: number;
  /** Summed rarity of the name's words the question has, times the share of the name they cover. */
  readonly score: number;
  /** Share of the name's words found in the question (0–1). */
  readonly coverage: number;
  /** How many of the name's words the question has. */
  readonly matched: number;
}

/**
 * Words that say what kind of code is asked about rather than which: every repository has
 * functions and classes, so they must not make `FunctionDef` or `ClassChecker` look relevant.
 */
export const QUESTION_NOISE: ReadonlySet<string> = new Set(
  `function functions method methods class classes module modules file files code codebase
  implement implements implemented implementation define defines defined definition logic
  mechanism responsible handle handles handled happen place part called call calls`.split(/\s+/).filter(Boolean),
);

/**
 * Short forms code uses for words people write out: a question says "application", the code
 * says `app`. Keys and values are stems (see `stem`).
 */
const ABBREVIATIONS: Record<string, string[]> = {
  applicat: ['app'], configur: ['config', 'cfg', 'conf'], environment: ['env'], context: ['ctx'],
  request: ['req'], respons: ['res', 'resp'], messag: ['msg'], argument: ['arg', 'args'], paramet: ['param', 'params'],
  attribut: ['attr', 'attrs'], function: ['func', 'fn'], implement: ['impl'], repository: ['repo'], directory: ['dir'],
  authent: ['auth'], author: ['auth'], databas: ['db'], error: ['err'], exception: ['exc'], callback: ['cb'], object: ['obj'],
  string: ['str'], length: ['len'], number: ['num'], valu: ['val'], variabl: ['var'], index: ['idx'], utiliti: ['util', 'utils'],
  specif: ['spec'], temporari: ['tmp', 'temp'], command: ['cmd'], connection: ['conn'], initi: ['init'], initializ: ['init'],
  initialis: ['init'], docstr: ['doc'], document: ['doc', 'docs'], generat: ['gen'], informat: ['info'], referenc: ['ref'],
  previou: ['prev'], source: ['src'], destin: ['dst', 'dest'], maximum: ['max'], minimum: ['min'], calcul: ['calc'],
  synchron: ['sync'], asynchron: ['async'], buffer: ['buf'], packag: ['pkg'], librari: ['lib'], extens: ['ext'],
  templat: ['tpl', 'tmpl'], permiss: ['perm'], statist: ['stats'], serial: ['ser'], expression: ['expr'], identifi: ['id'],
};

/** A name sharing one word with the question counts half (for choosing the lines a hit cites). */
const SINGLE_WORD_FACTOR = 0.5;

/** A light stemmer: enough to meet `loaded`/`load`, `handler`/`handle`, `classes`/`class`, `configuration`/`config`. */
export function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.length <= 3) return w;
  if (w.endsWith('ies') || w.endsWith('ied')) w = `${w.slice(0, -3)}i`;
  // -ation keeps its -at, as the verb's stem does: location/locate → locat, validation/validate → validat.
  else if (w.length >= 9 && w.endsWith('ations')) w = w.slice(0, -4);
  else if (w.length >= 8 && w.endsWith('ation')) w = w.slice(0, -3);
  else if (w.length >= 6 && w.endsWith('ings')) w = w.slice(0, -4);
  else if (w.length >= 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length >= 5 && w.endsWith('ers')) w = w.slice(0, -3);
  else if (w.length >= 5 && w.endsWith('er')) w = w.slice(0, -2);
  else if (w.length >= 5 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (/(?:ss|x|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  if (w.length >= 4 && w.endsWith('e')) w = w.slice(0, -1);
  if (w.length >= 4 && w.endsWith('y')) w = `${w.slice(0, -1)}i`;
  return w;
}

/** The stems a question asks about: its words minus stop words and code-kind words, plus their short forms. */
export function questionStems(text: string): Set<string> {
  const out = new Set<string>();
  for (const t of tokenizeCode(text)) {
    if (t.length < 2 || t.includes('_') || STOPWORDS.has(t) || QUESTION_NOISE.has(t) || /^\d+$/.test(t)) continue;
    const s = stem(t);
    out.add(s);
    for (const [full, short] of Object.entries(ABBREVIATIONS)) if (s.startsWith(full)) for (const a of short) out.add(a);
  }
  return out;
}

/** Whether a stem of a name's word is one of the question's, a long prefix of one, or one with a prefix (de-, un-, pre-…). */
export function stemMatches(part: string, stems: ReadonlySet<string>): boolean {
  if (stems.has(part)) return true;
  if (part.length < 5) return false;
  for (const s of stems) if (s.length >= 5 && (s.startsWith(part) || part.startsWith(s))) return true;
  // A prefixed form keeps its base at the end (deduplicate/duplicate, unregister/register); seven
  // letters at least, so that decode/code or prefix/fix never meet.
  for (const s of stems) if ((s.length >= 7 && part.length > s.length + 1 && part.endsWith(s)) || (part.length >= 7 && s.length > part.length + 1 && s.endsWith(part))) return true;
  return false;
}

/**
 * For each given file, its definition whose name's words the question covers best (weighted by
 * how rare each word is in the index, `idf`). Names made only of noise words never match.
 */
export function matchDefinitions(
  db: Db,
  fileIds: readonly number[],
  stems: ReadonlySet<string>,
  idf: (token: string) => number,
): Map<number, DefinitionMatch> {
  const out = new Map<number, DefinitionMatch>();
  if (fileIds.length === 0 || stems.size === 0) return out;
  const rows = db
    .prepare(
      `SELECT file_id AS fileId, name, start_line AS startLine, end_line AS endLine FROM code_symbols
       WHERE file_id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(fileIds)) as { fileId: number; name: string; startLine: number; endLine: number }[];
  const cache = new Map<string, { score: number; coverage: number; matched: number }>();
  for (const r of rows) {
    let m = cache.get(r.name);
    if (!m) {
      m = scoreName(r.name, stems, idf);
      cache.set(r.name, m);
    }
    if (m.score <= 0) continue;
    const cur = out.get(r.fileId);
    const span = r.endLine - r.startLine;
    // Ties go to the narrower definition: the method rather than the class around it.
    if (!cur || m.score > cur.score || (m.score === cur.score && span < cur.endLine - cur.startLine)) {
      out.set(r.fileId, { name: r.name, startLine: r.startLine, endLine: r.endLine, score: m.score, coverage: m.coverage, matched: m.matched });
    }
  }
  return out;
}

/**
 * Which of a name's parts (split words) a question uses in some word form: how many, and their
 * summed rarity against the whole name's. Noise words count in the total but never match.
 */
export function matchNameParts(
  parts: readonly string[],
  stems: ReadonlySet<string>,
  idf: (token: string) => number,
  opts: { readonly glued: boolean },
): { matched: number; weight: number; total: number } {
  let matched = 0;
  let weight = 0;
  let total = 0;
  for (const p of parts) {
    const w = idf(p);
    total += w;
    if (QUESTION_NOISE.has(p)) continue;
    if (stemMatches(stem(p), stems) || (opts.glued && gluedMatches(p, stems))) {
      matched++;
      weight += w;
    }
  }
  return { matched, weight, total };
}

function scoreName(name: string, stems: ReadonlySet<string>, idf: (token: string) => number): { score: number; coverage: number; matched: number } {
  const parts = splitIdentifier(name).filter((p) => p.length >= 2 && !/^\d+$/.test(p));
  if (parts.length === 0) return { score: 0, coverage: 0, matched: 0 };
  const { matched, weight, total } = matchNameParts(parts, stems, idf, { glued: true });
  if (matched === 0 || total === 0) return { score: 0, coverage: 0, matched: 0 };
  const coverage = weight / total;
  // One shared word ("enable", "check") is weak evidence; two or more name the thing asked about.
  return { score: weight * coverage * (matched >= 2 ? 1 : SINGLE_WORD_FACTOR), coverage, matched };
}

/**
 * Code glues words without a separator (`assignname`, `getattr`, `filename`); a question writes
 * them apart ("the assignment name"). A part of 6+ letters matches when it splits into two pieces
 * of 3+ letters that each match a word of the question.
 */
function gluedMatches(part: string, stems: ReadonlySet<string>): boolean {
  if (part.length < 6) return false;
  for (let i = 3; i <= part.length - 3; i++) {
    if (stemMatches(stem(part.slice(0, i)), stems) && stemMatches(stem(part.slice(i)), stems)) return true;
  }
  return false;
}

