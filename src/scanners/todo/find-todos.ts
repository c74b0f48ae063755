/**
 * Finds TODO / FIXME / HACK / XXX markers that open a comment (`// TODO: …`, `# FIXME …`,
 * ` * HACK …`, `<!-- XXX -->`, `-- TODO`), with the comment lines that continue them. A marker in
 * the middle of a sentence or in code is not a TODO somebody left for later, so it is ignored.
 */
export type TodoMarker = 'TODO' | 'FIXME' | 'HACK' | 'XXX';

export interface TodoComment {
  readonly marker: TodoMarker;
  /** 1-based first and last line (continuation comment lines included). */
  readonly line: number;
  readonly endLine: number;
  /** What the comment asks, whitespace collapsed, without the marker and comment syntax. */
  readonly text: string;
  /** The source lines as written (trimmed at the right), for evidence. */
  readonly excerpt: string;
}

/** Quick pre-filter for `git grep -E` (same markers, case-sensitive). */
export const TODO_GREP_PATTERN = '(TODO|FIXME|HACK|XXX)';

const MARKER = /\b(TODO|FIXME|HACK|XXX)\b/g;
/** What may stand before a marker for it to open a comment. */
// The opener must start the line or follow whitespace or the end of a statement: `(\`// TODO`
// in a doc comment, "http://TODO" or a#TODO are not comments of their own.
const COMMENT_OPENER = /(?:(?:^|[\s;{})\],])(?:\/\/+!?|\/\*+!?|#+|<!--|--|\{-)|^\s*;+|^\s*\*+)\s*@?$/;
/** A line that is nothing but a comment (for continuations). */
const COMMENT_LINE = /^\s*(\/\/+|#+|\*(?!\/)|--|;+)\s?(.*)$/;
const HAS_MARKER = /\b(TODO|FIXME|HACK|XXX)\b/;
const MAX_CONTINUATION_LINES = 3;

/** The first character continuation lines of this comment start with: `//` → `/`, `/*` and ` *` → `*`, `#`, `--` → `-`. */
function continuationOpener(opener: string): string | undefined {
  // The opener token itself, without what precedes it (`;//` in `f();// TODO` is `//`).
  const t = /(\/\/+!?|\/\*+!?|#+|<!--|--|\{-|\*+|;+)$/.exec(opener.replace(/@$/, '').trim())?.[1] ?? '';
  if (t.startsWith('/*') || t.startsWith('*')) return '*';
  const first = t[0];
  return first === '/' || first === '#' || first === '-' || first === ';' ? first : undefined;
}

export function findTodos(source: string): TodoComment[] {
  const lines = source.split('\n');
  const out: TodoComment[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > 2000 || !line.includes('TODO') && !line.includes('FIXME') && !line.includes('HACK') && !line.includes('XXX')) continue;
    MARKER.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = MARKER.exec(line)) !== null) {
      const before = line.slice(0, m.index);
      if (!COMMENT_OPENER.test(before)) continue;
      const marker = m[1] as TodoMarker;
      const parts = [cleanDescription(line.slice(m.index + marker.length))];
      const continuation = continuationOpener(COMMENT_OPENER.exec(before)?.[0] ?? '');
      let end = i;
      // Continuation: the following comment-only lines of the same comment, up to a blank comment
      // line, code, or another marker.
      while (continuation && end + 1 < lines.length && end - i < MAX_CONTINUATION_LINES && !/\*\/|-->/.test(lines[end]!)) {
        const next = lines[end + 1]!;
        const c = COMMENT_LINE.exec(next);
        if (!c || c[1]![0] !== continuation || HAS_MARKER.test(next)) break;
        const text = cleanDescription(c[2] ?? '');
        if (text === '') break;
        parts.push(text);
        end++;
      }
      MARKER.lastIndex = line.length; // one marker per line
      const text = parts.filter(Boolean).join(' ').replace(/\s+/g, ' ').trim();
      out.push({
        marker,
        line: i + 1,
        endLine: end + 1,
        text,
        excerpt: lines.slice(i, end + 1).map((l) => l.trimEnd()).join('\n'),
      });
    }
  }
  return out;
}

/** `(alice): fix the retry loop -->` becomes `fix the retry loop`: owner tags, punctuation and comment closers removed. */
function cleanDescription(rest: string): string {
  return rest
    .replace(/\*\/.*$/, '')
    .replace(/-->.*$/, '')
    .replace(/-\}.*$/, '')
    .replace(/^\s*[([][^)\]]{0,40}[)\]]/, '') // an owner or ticket in brackets right after the marker
    .replace(/^\s*[:\-–—,.!]+/, '')
    .trim();
}

/** Words of substance in the description: a TODO that says what to do beats a bare `TODO`. */
export function specificityOf(text: string): number {
  const words = text.split(/\s+/).filter((w) => /[A-Za-z]{2,}/.test(w));
  return Math.min(1, words.length / 8);
}
