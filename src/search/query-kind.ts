/**
 * What kind of text a search was given, because each wants a different ranking:
 * - `bug-report`: a stack trace, a quoted error, code blocks or several paragraphs — the place of
 *   the failure is what matters (traced files, raise sites), most words are noise;
 * - `lookup`: a bare identifier or path (`loadConfig`, `src/config/load.ts`) — its definition or file;
 * - `question`: a short question or request in prose ("where is the configuration loaded?") — the
 *   code that defines or implements what it names comes first.
 */
export type QueryKind = 'bug-report' | 'question' | 'lookup';

const TRACE = /Traceback \(most recent call last\)|^\s*File "[^"]+", line \d+|^\s*at (?:async )?[\w$.<>]+ \(?[^()\s]+:\d+|^\s*at [\w$.]+\([\w$]+\.\w+:\d+\)/m;
const ERROR_LINE = /^\s*(?:E\s+)?(?:[\w.]+\.)?\w*(?:Error|Exception|Warning)\b:\s+\S/m;
const CODE_FENCE = /```|^(?: {4}|\t)\S.*\n(?: {4}|\t)\S/m;
const LOOKUP_TOKEN = /^[`'"]?[\w$.:/\\-]+(?:\(\))?[`'"]?$/;

export function detectQueryKind(text: string): QueryKind {
  const trimmed = text.trim();
  if (TRACE.test(trimmed) || ERROR_LINE.test(trimmed) || CODE_FENCE.test(trimmed)) return 'bug-report';
  const paragraphs = trimmed.split(/\n\s*\n/).filter((p) => p.trim().length > 0);
  const lines = trimmed.split('\n').filter((l) => l.trim().length > 0);
  // A Slack question is a sentence or two; an issue has a title and a body.
  if (paragraphs.length >= 3 || lines.length >= 5 || trimmed.length > 700) return 'bug-report';
  const words = trimmed.split(/\s+/);
  if (words.length <= 2 && words.every((w) => LOOKUP_TOKEN.test(w)) && words.some(isCodeShaped)) return 'lookup';
  return 'question';
}

/** snake_case, camelCase, PascalCase with an inner capital, dotted, a path, or a call. */
function isCodeShaped(word: string): boolean {
  const w = word.replace(/^[`'"]|[`'"]$/g, '');
  return /_|[a-z][A-Z]|^[A-Z][a-z]+[A-Z]|[./\\]|\(\)$|::/.test(w) || /^`.*`$/.test(word);
}
