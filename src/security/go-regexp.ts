/**
 * Translates a Go (RE2) regular expression, as gitleaks writes its rules, into a JavaScript one
 * with the same meaning. Node 20 has no inline flag groups, so case-insensitive parts are spelled
 * out (`a` → `[aA]`, `[a-f]` → `[a-fA-F]`) and dot-all parts use `[\s\S]`; `(?P<n>` becomes
 * `(?<n>`, `\z` and `\A` become `$` and `^`, POSIX classes become ranges. Only what gitleaks'
 * rule set uses is supported; anything else throws, so an update that needs more fails a test
 * instead of silently matching less.
 */

interface Flags {
  readonly i: boolean;
  readonly s: boolean;
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  digit: '0-9',
  lower: 'a-z',
  upper: 'A-Z',
  space: '\\s',
  xdigit: '0-9a-fA-F',
  word: '\\w',
  punct: '!-\\/:-@\\[-`{-~',
};

const isLetter = (c: string) => /^[a-zA-Z]$/.test(c);
const swapCase = (c: string) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());

function applyFlags(flags: Flags, spec: string): Flags {
  let on = true;
  let { i, s } = flags;
  for (const ch of spec) {
    if (ch === '-') on = false;
    else if (ch === 'i') i = on;
    else if (ch === 's') s = on;
    else if (ch === 'm' || ch === 'U') throw new Error(`unsupported Go regexp flag "${ch}"`);
  }
  return { i, s };
}

/** Reads one escape starting at `src[pos] === '\\'`; returns its text and length. */
function readEscape(src: string, pos: number): string {
  const next = src[pos + 1];
  if (next === undefined) throw new Error('trailing backslash');
  if (next === 'x') return src[pos + 2] === '{' ? src.slice(pos, src.indexOf('}', pos) + 1) : src.slice(pos, pos + 4);
  if (next === 'p' || next === 'P') throw new Error('Unicode classes are not supported');
  if (next === 'Q') throw new Error('\\Q…\\E is not supported');
  return src.slice(pos, pos + 2);
}

/** A character class `[...]` starting at `src[pos] === '['`; returns the JS class and its length in `src`. */
function translateClass(src: string, pos: number, flags: Flags): { out: string; length: number } {
  let i = pos + 1;
  let body = '';
  let negate = '';
  if (src[i] === '^') {
    negate = '^';
    i++;
  }
  const extra = new Set<string>();
  let first = true;
  const literals: string[] = []; // single characters in order, for range detection
  while (i < src.length && (src[i] !== ']' || first)) {
    const c = src[i]!;
    if (first && c === ']') {
      // Go's `[]…]` starts with a literal bracket; JavaScript would read `[]` as an empty class.
      body += '\\]';
      literals.push(']');
      first = false;
      i++;
      continue;
    }
    first = false;
    if (c === '[' && src[i + 1] === ':') {
      const end = src.indexOf(':]', i);
      const name = src.slice(i + 2, end);
      const expansion = POSIX_CLASSES[name];
      if (!expansion) throw new Error(`unknown POSIX class [:${name}:]`);
      body += expansion;
      i = end + 2;
      literals.length = 0;
      continue;
    }
    if (c === '\\') {
      const esc = readEscape(src, i);
      body += esc;
      i += esc.length;
      // An escaped letter (\w, \s, \d…) is a class shorthand, not a literal to fold.
      literals.push(esc.length === 2 && !/[a-zA-Z]/.test(esc[1]!) ? esc[1]! : '');
      continue;
    }
    if (c === '[') {
      body += '\\[';
      i++;
      literals.push('[');
      continue;
    }
    if (c === '-' && literals.length > 0 && src[i + 1] !== ']' && literals[literals.length - 1] !== '') {
      // A range lo-hi: fold every letter in it.
      const lo = literals[literals.length - 1]!;
      let hi = src[i + 1]!;
      let hiLength = 1;
      if (hi === '\\') {
        const esc = readEscape(src, i + 1);
        hi = esc.length === 2 ? esc[1]! : String.fromCharCode(parseInt(esc.slice(2), 16));
        hiLength = esc.length;
      }
      body += src.slice(i, i + 1 + hiLength);
      if (flags.i) {
        for (let code = lo.charCodeAt(0); code <= hi.charCodeAt(0); code++) {
          const ch = String.fromCharCode(code);
          if (isLetter(ch)) extra.add(swapCase(ch));
        }
      }
      i += 1 + hiLength;
      literals.push('');
      continue;
    }
    body += c;
    literals.push(c);
    if (flags.i && isLetter(c)) extra.add(swapCase(c));
    i++;
  }
  if (src[i] !== ']') throw new Error('unterminated character class');
  // Folded letters go first: after the body a trailing `-` would turn them into a range.
  return { out: `[${negate}${[...extra].join('')}${body}]`, length: i + 1 - pos };
}

/** The JavaScript source for a Go regexp; compile it with `new RegExp(source, flags)` (no `i`/`s`). */
export function goRegexpToJs(src: string): string {
  let out = '';
  let flags: Flags = { i: false, s: false };
  const stack: Flags[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      const esc = readEscape(src, i);
      if (esc === '\\z') out += '$';
      else if (esc === '\\A') out += '^';
      else if (flags.i && esc.length === 2 && isLetter(esc[1]!) && !/[wWsSdDbBnrtfv]/.test(esc[1]!)) throw new Error(`unsupported escape ${esc}`);
      else out += esc;
      i += esc.length;
      continue;
    }
    if (c === '[') {
      const cls = translateClass(src, i, flags);
      out += cls.out;
      i += cls.length;
      continue;
    }
    if (c === '(') {
      if (src.startsWith('(?P<', i)) {
        stack.push(flags);
        out += '(?<';
        i += 4;
        continue;
      }
      const inline = /^\(\?([a-zA-Z-]+)(\)|:)/.exec(src.slice(i));
      if (inline) {
        const next = applyFlags(flags, inline[1]!);
        if (inline[2] === ')') {
          flags = next; // to the end of the enclosing group
        } else {
          stack.push(flags);
          flags = next;
          out += '(?:';
        }
        i += inline[0].length;
        continue;
      }
      stack.push(flags);
      const group = /^\((\?(?:[:=!]|<[=!]))?/.exec(src.slice(i))![0];
      out += group;
      i += group.length;
      continue;
    }
    if (c === ')') {
      flags = stack.pop() ?? flags;
      out += ')';
      i++;
      continue;
    }
    if (c === '{') {
      // A repetition `{n}`, `{n,}`, `{n,m}` is copied; any other brace is a literal in Go.
      const rep = /^\{\d+(,\d*)?\}/.exec(src.slice(i));
      out += rep ? rep[0] : '\\{';
      i += rep ? rep[0].length : 1;
      continue;
    }
    if (c === '}') {
      out += '\\}';
      i++;
      continue;
    }
    if (c === '.' && flags.s) {
      out += '[\\s\\S]';
      i++;
      continue;
    }
    if (flags.i && isLetter(c)) {
      out += `[${c}${swapCase(c)}]`;
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Compiles a Go regexp as a JavaScript RegExp (always with match indices, `d`). */
export function compileGoRegexp(src: string, extraFlags = ''): RegExp {
  return new RegExp(goRegexpToJs(src), `d${extraFlags}`);
}
