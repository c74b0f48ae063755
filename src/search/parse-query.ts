import type { QueryKind } from './query-kind.js';
import { STOPWORDS } from './stopwords.js';
import { stripBoilerplate } from './strip-boilerplate.js';
import { identifierTokens, tokenizeCode } from './tokenize.js';

export interface ParsedQuery {
  /** Distinct tokens for the full-text match, most important first. */
  readonly terms: readonly string[];
  /** Integer weight per term (1–3): title words and code-shaped identifiers count more. */
  readonly weights: ReadonlyMap<string, number>;
  /** File paths (or path suffixes) the text names, e.g. from a stack trace or `see src/x.py`. */
  readonly paths: readonly string[];
  /** Code-shaped identifiers (snake_case, camelCase, dotted, called, in backticks): definition candidates. */
  readonly identifiers: readonly string[];
  /** Paths of stack-trace frames, outermost first (Python order; JS/Java traces are reversed to match). */
  readonly framePaths: readonly string[];
  /** Literal fragments of error messages (`ValueError: <message>`): raise sites often hold them verbatim. */
  readonly messageFragments: readonly string[];
  /** Functions named in stack-trace frames. */
  readonly frameFunctions: readonly string[];
  /** Hyphenated names (`assignment-from-no-return`, `--cache-dir`): lint rules, flags, keys, spelled as in the code. */
  readonly literals: readonly string[];
}

const PATH_RE = /(?:[\w.-]+\/)*[\w.-]+\.(?:py|pyi|js|jsx|mjs|cjs|ts|tsx|go|rs|rb|java|kt|scala|cs|c|h|cc|cpp|hpp|php|swift|m|sh|vue)\b/g;
// Python: File "/x/y/z.py", line 12, in func — JS: at func (/x/y.js:1:2) — Java: at a.b.C.m(C.java:12)
const PY_FRAME = /File "([^"]+)", line (\d+), in ([\w<>]+)|File (\S+?\.pyx?):(\d+), in (?:[\w]+\.)*([\w<>]+)/g; // plain and IPython
const JS_FRAME = /\bat (?:async )?([\w$.<>]+) \(([^()\s]+?):(\d+)(?::\d+)?\)/g;
const JAVA_FRAME = /\bat ([\w$.]+)\.([\w$<>]+)\(([\w$]+\.\w+):(\d+)\)/g;
const BACKTICK = /`([^`\n]{1,120})`/g;
const CODE_IDENT = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/g;

/**
 * Reads a question or bug report: terms for BM25 plus the structured hints code text carries.
 * Only a bug report has template/version boilerplate to drop and a title line to weigh.
 */
export function parseQuery(rawText: string, kind: QueryKind = 'bug-report'): ParsedQuery {
  const report = kind === 'bug-report';
  const text = report ? stripBoilerplate(rawText) : rawText;
  const counts = new Map<string, number>();
  for (const t of tokenizeCode(text)) {
    if (!isTerm(t)) continue;
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }

  const paths = new Set<string>();
  const frameFunctions = new Set<string>();
  const framePaths: string[] = [];
  for (const m of text.matchAll(PY_FRAME)) {
    framePaths.push((m[1] ?? m[4]) as string);
    frameFunctions.add((m[3] ?? m[6]) as string);
  }
  // JS and Java print the innermost frame first.
  const inner: string[] = [];
  for (const m of text.matchAll(JS_FRAME)) {
    inner.push(m[2] as string);
    frameFunctions.add((m[1] as string).split('.').pop() as string);
  }
  for (const m of text.matchAll(JAVA_FRAME)) {
    inner.push(m[3] as string);
    frameFunctions.add(m[2] as string);
  }
  framePaths.push(...inner.reverse());
  for (const p of framePaths) paths.add(p);
  for (const m of text.matchAll(PATH_RE)) {
    // "requests.get" style module references are not paths; a path has a '/' or a known extension
    // that is not also a common attribute name.
    const p = m[0];
    if (!p.includes('/') && /\.(m|h|c|sh|rs|go|cs|kt)$/.test(p)) continue;
    paths.add(p);
  }

  const identifiers = new Set<string>();
  const addIdent = (raw: string) => {
    for (const part of raw.split('.')) {
      if (part.length < 3 || STOPWORDS.has(part.toLowerCase())) continue;
      // Plain lower-case English words are too ambiguous unless marked as code.
      identifiers.add(part);
    }
  };
  for (const m of text.matchAll(BACKTICK)) for (const id of (m[1] as string).matchAll(CODE_IDENT)) addIdent(id[0]);
  for (const m of text.matchAll(CODE_IDENT)) {
    const w = m[0];
    const after = text[(m.index ?? 0) + w.length];
    if (w.includes('_') || /[a-z][A-Z]/.test(w) || /^[A-Z][a-z]+[A-Z]/.test(w) || w.includes('.') || after === '(') addIdent(w);
  }
  for (const f of frameFunctions) addIdent(f);

  // A bug report's title says what is wrong in a few words; identifiers name the code involved.
  const weights = new Map<string, number>();
  for (const t of counts.keys()) weights.set(t, 1);
  const title = text.split('\n').find((l) => l.trim().length > 0) ?? '';
  // A title is a short first line over a longer body; a long first line is just the body.
  const isTitle = report && text.includes('\n') && title.length <= 160 && text.length > title.length * 2;
  const titled = isTitle ? new Set(tokenizeCode(title).filter(isTerm)) : new Set<string>();
  for (const t of titled) weights.set(t, (weights.get(t) ?? 1) + 1);
  for (const id of identifiers) {
    for (const t of identifierTokens(id).slice(0, 1)) if (weights.has(t)) weights.set(t, Math.min(3, (weights.get(t) ?? 1) + 1));
  }
  const terms = [...counts.keys()].sort((a, b) => (weights.get(b) ?? 1) - (weights.get(a) ?? 1) || (counts.get(b) ?? 0) - (counts.get(a) ?? 0));
  return {
    terms,
    weights,
    paths: [...paths],
    identifiers: [...identifiers],
    framePaths,
    frameFunctions: [...frameFunctions],
    messageFragments: messageFragments(text),
    literals: hyphenatedNames(text),
  };
}

function isTerm(t: string): boolean {
  return t.length >= 2 && !STOPWORDS.has(t) && !/^\d+$/.test(t);
}

// Three or more hyphen-joined parts, or a command-line flag: English compounds ("built-in",
// "thread-safety") have two parts and are not names.
const HYPHENATED = /(?<![\w-])(?:--[a-z][a-z0-9]*(?:-[a-z0-9]+)*|[a-z][a-z0-9]*(?:-[a-z0-9]+){2,})(?![\w-])/gi;

/** Names written with hyphens, which the code holds verbatim in strings, flags and file names. */
export function hyphenatedNames(text: string): string[] {
  // Code spells them in lower case; a sentence may start with one capitalised.
  return [...new Set([...text.matchAll(HYPHENATED)].map((m) => m[0].toLowerCase()))].slice(0, 5);
}

const ERROR_LINE = /^\s*(?:E\s+)?(?:[\w.]+\.)?\w*(?:Error|Exception|Warning|Exit|Interrupt)\b:?\s+(.{8,300})$/gm;

/**
 * The longest constant-looking piece of each error message: values such as numbers, quoted names
 * and paths vary between the report and the source's format string, the words around them do not.
 */
export function messageFragments(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(ERROR_LINE)) {
    const pieces = (m[1] as string).split(/["'`]|\d+|[()[\]{}<>:;,=|]|%\w|\{\w*\}/);
    const best = pieces.map((p) => p.trim()).sort((a, b) => b.length - a.length)[0] ?? '';
    if (best.length >= 16 && best.split(/\s+/).length >= 3 && !/most recent call/i.test(best)) out.add(best);
  }
  return [...out].slice(0, 5);
}
