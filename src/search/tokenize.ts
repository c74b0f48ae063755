/**
 * Code-aware tokens: identifiers are kept whole AND split on camelCase, PascalCase, snake_case,
 * kebab-case and digit boundaries, all lower-cased, so `loadConfig` matches "load config",
 * `loadconfig` and `load_config` alike. The index and the query use the same functions.
 */

const WORD = /[A-Za-z_][A-Za-z0-9_]*|[0-9]+/g;
// Boundaries inside one identifier: lower→Upper, UPPER→Upper+lower (HTTPServer → HTTP Server), letter↔digit.
const CAMEL = /([a-z])([A-Z])|([A-Z]+)([A-Z][a-z])|([A-Za-z])([0-9])|([0-9])([A-Za-z])/g;

const MAX_TOKEN = 64;

/** Parts of one identifier, lower-cased, without the whole: `parseHTTPResponse2` → parse, http, response, 2. */
export function splitIdentifier(word: string): string[] {
  const spaced = word.replace(CAMEL, (_m, a, b, c, d, e, f, g, h) =>
    a !== undefined ? `${a} ${b}` : c !== undefined ? `${c} ${d}` : e !== undefined ? `${e} ${f}` : `${g} ${h}`,
  );
  // Run twice: overlapping boundaries (aB2c) are not all caught by one global replace.
  const again = spaced.replace(CAMEL, (_m, a, b, c, d, e, f, g, h) =>
    a !== undefined ? `${a} ${b}` : c !== undefined ? `${c} ${d}` : e !== undefined ? `${e} ${f}` : `${g} ${h}`,
  );
  return again
    .split(/[\s_]+/)
    .filter((p) => p.length > 0)
    .map((p) => p.toLowerCase());
}

// Identifiers repeat a lot within a repository; splitting each once is most of tokenizing's cost.
const memo = new Map<string, string[]>();
const MEMO_MAX = 50_000;

/** Tokens of one identifier: the whole (lower-cased) first, then its parts when it has several. */
export function identifierTokens(word: string): string[] {
  const hit = memo.get(word);
  if (hit) return hit;
  const tokens = computeIdentifierTokens(word);
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(word, tokens);
  return tokens;
}

function computeIdentifierTokens(word: string): string[] {
  const whole = word.toLowerCase().replace(/^_+|_+$/g, '');
  if (whole.length === 0 || whole.length > MAX_TOKEN) return [];
  const parts = splitIdentifier(word);
  if (parts.length <= 1) return [whole];
  return [whole, ...parts];
}

/** Token stream of a text (code or prose), in order, with identifier wholes and parts. */
export function tokenizeCode(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) {
    for (const t of identifierTokens(m[0])) out.push(t);
  }
  return out;
}

const joinedMemo = new Map<string, string>();

/** identifierTokens(word) space-joined ('' when it has none), memoized like it. */
function identifierTokenString(word: string): string {
  let joined = joinedMemo.get(word);
  if (joined === undefined) {
    joined = identifierTokens(word).join(' ');
    if (joinedMemo.size >= MEMO_MAX) joinedMemo.clear();
    joinedMemo.set(word, joined);
  }
  return joined;
}

/**
 * tokenString(tokenizeCode(text)), without the match objects and the per-token array: indexing
 * calls it on every chunk, where it was a quarter of preparing a file. Scans WORD's two
 * alternatives by hand: an ASCII letter or `_` then letters, digits, `_`; or a run of digits.
 */
export function codeTokenString(text: string): string {
  let out = '';
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    let j = i + 1;
    if (isWordStart(c)) {
      while (j < n && isWordPart(text.charCodeAt(j))) j++;
    } else if (isDigit(c)) {
      while (j < n && isDigit(text.charCodeAt(j))) j++;
    } else {
      i = j;
      continue;
    }
    const joined = identifierTokenString(text.slice(i, j));
    if (joined !== '') out = out === '' ? joined : `${out} ${joined}`;
    i = j;
  }
  return out;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isWordStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
const isWordPart = (c: number) => isWordStart(c) || isDigit(c);

/**
 * Tokens of a path: every segment (split like identifiers, `-` and `.` too), the file name without
 * extension kept whole (kebab and dotted names joined like snake_case), and the extension, so
 * `src/config/load-config.ts` yields src, config, load_config, load, config, ts.
 */
export function tokenizePath(relPath: string): string[] {
  const out: string[] = [];
  const segments = relPath.split('/').filter(Boolean);
  for (const [i, segment] of segments.entries()) {
    const isFile = i === segments.length - 1;
    const dot = isFile ? segment.lastIndexOf('.') : -1;
    const stem = dot > 0 ? segment.slice(0, dot) : segment;
    const ext = dot > 0 ? segment.slice(dot + 1) : '';
    // Kebab and dotted names behave like snake_case: one whole plus parts.
    const snake = stem.replace(/[-.]+/g, '_');
    out.push(...identifierTokens(snake));
    if (ext) out.push(ext.toLowerCase());
  }
  return out;
}

/** Space-joined token stream, what the FTS5 columns store. */
export function tokenString(tokens: readonly string[]): string {
  return tokens.join(' ');
}
