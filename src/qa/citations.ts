import { citationUrl } from '../repos/permalink.js';
import type { Repository } from '../repos/repository.js';
import type { Citation } from './types.js';

/** A `path:start-end`, `path:line` or `path#Lx-Ly` reference found in a model's answer. */
export interface CitationRef {
  /** The matched text, including surrounding backticks if any. */
  readonly raw: string;
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
}

// Not preceded by a word, slash, colon or dot, so URLs and hosts (`https://x/y:3`) are not taken
// for citations; the path needs a dot or a slash so `12:30` and `localhost:3000` stay text.
const REF =
  /(?<![\w/:.@#~|-])(`?)((?:[\w@+.-]+\/)*[\w@+-][\w@+.-]*)(?::L?(\d+)(?:[ ]?[-–][ ]?L?(\d+))?|#L(\d+)(?:-L?(\d+))?)\1(?![\w])/g;

export function findCitationRefs(text: string): CitationRef[] {
  const refs: CitationRef[] = [];
  for (const m of text.matchAll(REF)) {
    const p = m[2]!;
    if (!/[./]/.test(p) || /^[\d.]+$/.test(p)) continue;
    const start = Number(m[3] ?? m[5]);
    const end = Number(m[4] ?? m[6] ?? start);
    refs.push({ raw: m[0], path: p, startLine: start, endLine: end });
  }
  return refs;
}

/**
 * The repository file a cited path names (possibly completed, e.g. a bare file name that is
 * unique in the repository) and its line count; undefined when it does not exist or may not be cited.
 */
export type ResolveCitedFile = (path: string) => Promise<{ path: string; lineCount: number } | undefined>;

/** Checks a reference against the repository: clamps an overlong range, rejects what cannot exist. */
export async function validateCitationRef(ref: CitationRef, resolveFile: ResolveCitedFile): Promise<{ path: string; startLine: number; endLine: number } | undefined> {
  const file = await resolveFile(ref.path.replace(/^\.\//, ''));
  if (!file || file.lineCount < 1) return undefined;
  const { path, lineCount: total } = file;
  let start = Math.max(1, ref.startLine);
  let end = Math.max(1, ref.endLine);
  if (end < start) [start, end] = [end, start];
  if (start > total) return undefined;
  return { path, startLine: start, endLine: Math.min(end, total) };
}

export function citationLabel(c: { path: string; startLine: number; endLine: number }): string {
  return c.endLine > c.startLine ? `${c.path}:${c.startLine}-${c.endLine}` : `${c.path}:${c.startLine}`;
}

/** Markdown for one citation: a permalink for GitHub repositories, code text for local ones. */
export function renderCitation(c: Citation): string {
  return c.url ? `[${citationLabel(c)}](${c.url})` : `\`${citationLabel(c)}\``;
}

/**
 * Models wrap citations in links of their own (`[src/a.ts:1](https://…)`, URLs they guessed):
 * keep only the label, outside code, so the citation is checked and linked like any other.
 */
export function unlinkCitationLabels(markdown: string): string {
  return markdown
    .split(/(```[\s\S]*?```)/g)
    .map((segment) =>
      segment.startsWith('```') ? segment : segment.replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (link, label: string) => (findCitationRefs(label).length > 0 ? label : link)),
    )
    .join('');
}

/** Removes what a dropped citation leaves behind: `()`, `( )`, doubled spaces, space before punctuation. */
function tidy(text: string): string {
  return text
    .replace(/[ \t]*\([ \t,;]*\)/g, '')
    .replace(/\([ \t]+/g, '(')
    .replace(/[ \t]+\)/g, ')')
    .replace(/(\S)[ \t]{2,}/g, '$1 ')
    .replace(/[ \t]+([.,;:])(?=\s|$)/g, '$1');
}

/** A list separator before a citation (`, `, `, and `, ` or `) or, failing that, after it. */
const SEPARATOR_BEFORE = String.raw`[ \t]*,[ \t]*(?:(?:and|or)[ \t]+)?|[ \t]+(?:and|or)[ \t]+`;
const SEPARATOR_AFTER = String.raw`[ \t]*,[ \t]*|[ \t]+(?:and|or)(?=[ \t])`;
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes every occurrence of an invented citation together with the list separator that joined
 * it to its neighbours, so "a.ts:1, nope.ts:2, and b.ts:3" becomes "a.ts:1, and b.ts:3", never
 * "a.ts:1, , and b.ts:3".
 */
function removeRef(text: string, raw: string): string {
  // Same boundaries as REF: `src/a.ts:1` inside `lib/src/a.ts:1` is not that citation.
  const re = new RegExp(`(${SEPARATOR_BEFORE})?(?<![\\w/:.@#~|-])${escapeRegExp(raw)}(?![\\w])(${SEPARATOR_AFTER})?`, 'g');
  return text.replace(re, (_m, before?: string, after?: string) => (before !== undefined ? (after ?? '') : ''));
}

/**
 * Turns every valid citation in `text` into a link and removes invented ones (missing file,
 * secret file, line past the end), so that only lines that exist are ever cited. Fenced code
 * blocks are left alone.
 */
export async function linkCitations(
  text: string,
  ctx: { repo: Repository; commit: string | undefined; resolveFile: ResolveCitedFile },
): Promise<{ text: string; citations: Citation[]; dropped: CitationRef[] }> {
  const citations = new Map<string, Citation>();
  const dropped: CitationRef[] = [];
  const segments = text.split(/(```[\s\S]*?```)/g);
  const out: string[] = [];
  for (const segment of segments) {
    if (segment.startsWith('```')) {
      out.push(segment);
      continue;
    }
    const refs = findCitationRefs(segment);
    const replacements = new Map<string, string>();
    for (const ref of refs) {
      if (replacements.has(ref.raw)) continue;
      const valid = await validateCitationRef(ref, ctx.resolveFile);
      if (!valid) {
        dropped.push(ref);
        replacements.set(ref.raw, '');
        continue;
      }
      const url = citationUrl(ctx.repo, ctx.commit, valid.path, valid.startLine, valid.endLine);
      const citation: Citation = { ...valid, ...(url ? { url } : {}) };
      const key = citationLabel(citation);
      if (!citations.has(key)) citations.set(key, citation);
      replacements.set(ref.raw, renderCitation(citation));
    }
    let kept = segment;
    for (const [raw, replacement] of replacements) if (replacement === '') kept = removeRef(kept, raw);
    let replaced = kept.replace(REF, (raw) => replacements.get(raw) ?? raw);
    if (dropped.length > 0) replaced = tidy(replaced);
    out.push(replaced);
  }
  return { text: out.join(''), citations: [...citations.values()], dropped };
}
