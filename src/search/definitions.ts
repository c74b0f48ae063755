import path from 'node:path';
import { fileRole } from './file-filter.js';
import { extractTreeSitterDefinitions, loadTreeSitterGrammars } from './tree-sitter-definitions.js';

export interface Definition {
  readonly name: string;
  readonly kind: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
}

interface Rule {
  readonly re: RegExp;
  readonly kind: string;
}

// Line-anchored patterns per language family; group 1 (or the named group `n`) is the name.
// A regex pass is robust to syntax errors and fast; it misses exotic forms, which search still
// finds through the body text.
const PY: Rule[] = [
  { re: /^\s*(?:async\s+)?def\s+(?<n>[A-Za-z_]\w*)/, kind: 'function' },
  { re: /^\s*class\s+(?<n>[A-Za-z_]\w*)/, kind: 'class' },
  { re: /^(?<n>[A-Z][A-Z0-9_]{2,})\s*(?::[^=]+)?=(?!=)/, kind: 'const' },
];
const JS: Rule[] = [
  { re: /^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s*\*?\s*(?<n>[A-Za-z_$][\w$]*)/, kind: 'function' },
  { re: /^\s*(?:export\s+)?(?:default\s+)?(?:abstract\s+)?class\s+(?<n>[A-Za-z_$][\w$]*)/, kind: 'class' },
  { re: /^\s*(?:export\s+)?interface\s+(?<n>[A-Za-z_$][\w$]*)/, kind: 'interface' },
  { re: /^\s*(?:export\s+)?type\s+(?<n>[A-Za-z_$][\w$]*)\s*(?:<[^=]*>)?\s*=/, kind: 'type' },
  { re: /^\s*(?:export\s+)?(?:const\s+)?enum\s+(?<n>[A-Za-z_$][\w$]*)/, kind: 'enum' },
  { re: /^\s*(?:export\s+)?(?:const|let|var)\s+(?<n>[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function|\([^)]*\)\s*(?::[^=]+)?=>|[A-Za-z_$][\w$]*\s*=>)/, kind: 'function' },
  { re: /^\s*export\s+(?:const|let|var)\s+(?<n>[A-Za-z_$][\w$]*)/, kind: 'const' },
  { re: /^\s+(?:(?:public|private|protected|static|readonly|async|override|get|set)\s+)*(?<n>[A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\([^)]*\)?\s*(?::\s*[^{]+)?\{\s*$/, kind: 'method' },
];
const GO: Rule[] = [
  { re: /^func\s+(?:\([^)]*\)\s*)?(?<n>[A-Za-z_]\w*)/, kind: 'function' },
  { re: /^type\s+(?<n>[A-Za-z_]\w*)\s+(?:struct|interface)/, kind: 'type' },
  { re: /^type\s+(?<n>[A-Za-z_]\w*)\s/, kind: 'type' },
];
const RUST: Rule[] = [
  { re: /^\s*(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?(?:unsafe\s+)?(?:const\s+)?fn\s+(?<n>[A-Za-z_]\w*)/, kind: 'function' },
  { re: /^\s*(?:pub(?:\([^)]*\))?\s+)?(?:struct|enum|trait|union)\s+(?<n>[A-Za-z_]\w*)/, kind: 'type' },
  { re: /^\s*impl(?:<[^>]*>)?\s+(?:[\w:<>]+\s+for\s+)?(?<n>[A-Za-z_]\w*)/, kind: 'impl' },
  { re: /^\s*(?:pub\s+)?mod\s+(?<n>[A-Za-z_]\w*)/, kind: 'module' },
];
const RUBY: Rule[] = [
  { re: /^\s*def\s+(?:self\.)?(?<n>[A-Za-z_]\w*[?!=]?)/, kind: 'method' },
  { re: /^\s*(?:class|module)\s+(?:[A-Z]\w*::)*(?<n>[A-Z]\w*)/, kind: 'class' },
];
const JAVA: Rule[] = [
  { re: /^\s*(?:(?:public|private|protected|static|final|abstract|sealed|open|data|internal|partial)\s+)*(?:class|interface|enum|record|object|struct)\s+(?<n>[A-Za-z_]\w*)/, kind: 'class' },
  { re: /^\s*(?:(?:public|private|protected|static|final|abstract|synchronized|native|override|virtual|async|internal)\s+)+[\w<>[\],.? ]+\s+(?<n>[A-Za-z_]\w*)\s*\(/, kind: 'method' },
  { re: /^\s*(?:(?:public|private|protected|override|suspend|inline|internal)\s+)*fun\s+(?:<[^>]*>\s*)?(?:[\w.]+\.)?(?<n>[A-Za-z_]\w*)/, kind: 'function' },
];
const C: Rule[] = [
  { re: /^(?:static\s+|inline\s+|extern\s+)*[A-Za-z_][\w\s*:<>,]*?[\s*&](?<n>[A-Za-z_]\w*)\s*\([^;]*$/, kind: 'function' },
  { re: /^\s*(?:typedef\s+)?(?:struct|class|enum|union)\s+(?<n>[A-Za-z_]\w*)/, kind: 'type' },
  { re: /^#define\s+(?<n>[A-Za-z_]\w*)/, kind: 'macro' },
];
const PHP: Rule[] = [
  { re: /^\s*(?:(?:public|private|protected|static|abstract|final)\s+)*function\s+(?<n>[A-Za-z_]\w*)/, kind: 'function' },
  { re: /^\s*(?:abstract\s+|final\s+)?(?:class|interface|trait|enum)\s+(?<n>[A-Za-z_]\w*)/, kind: 'class' },
];
const SHELL: Rule[] = [{ re: /^\s*(?:function\s+)?(?<n>[A-Za-z_][\w-]*)\s*\(\)\s*\{?/, kind: 'function' }];

const BY_EXT: Record<string, Rule[]> = {
  py: PY, pyi: PY, pyx: PY,
  js: JS, jsx: JS, mjs: JS, cjs: JS, ts: JS, tsx: JS, mts: JS, cts: JS, vue: JS, svelte: JS,
  go: GO, rs: RUST, rb: RUBY, rake: RUBY,
  java: JAVA, kt: JAVA, kts: JAVA, scala: JAVA, cs: JAVA, swift: JAVA,
  c: C, h: C, cc: C, cpp: C, cxx: C, hpp: C, hh: C, m: C, mm: C,
  php: PHP, sh: SHELL, bash: SHELL, zsh: SHELL,
};

const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'function', 'else', 'do', 'try', 'with', 'new', 'constructor']);

/** Whether we know how to find definitions in this file. */
export function hasDefinitionRules(relPath: string): boolean {
  return BY_EXT[path.posix.extname(relPath).slice(1).toLowerCase()] !== undefined;
}

/**
 * Loads the tree-sitter grammars the given files need (all of them without paths), once per
 * thread. Call before extractDefinitions in any thread that indexes; without it, files fall back
 * to the regex rules. Never rejects.
 */
export function prepareDefinitionParsers(relPaths?: Iterable<string>): Promise<void> {
  return loadTreeSitterGrammars(relPaths && [...relPaths].filter(wantsSyntaxTree));
}

/**
 * Tests keep the regex rules: in a repository like babel they are 95 % of the files and two thirds
 * of the parse time (fixtures full of deliberately broken code make error recovery expensive),
 * while ranking damps them and find_symbol rarely wants them.
 */
function wantsSyntaxTree(relPath: string): boolean {
  return fileRole(relPath) !== 'test';
}

/**
 * Definitions of this file: from its syntax tree for the languages tree-sitter grammars are loaded
 * for (test files excepted), otherwise from the regex rules. When the parse needed error recovery (a syntax error, or a
 * dialect the grammar lacks, such as Flow annotations in .js), regex hits the tree missed are
 * added so a broken region still yields what it can.
 */
export function extractDefinitions(relPath: string, text: string): Definition[] {
  const parsed = wantsSyntaxTree(relPath) ? extractTreeSitterDefinitions(relPath, text) : undefined;
  if (!parsed) return extractDefinitionsByRegex(relPath, text);
  if (!parsed.hadErrors) return parsed.definitions;
  const seen = new Set(parsed.definitions.map((d) => `${d.startLine}:${d.name}`));
  const extra = extractDefinitionsByRegex(relPath, text).filter((d) => !seen.has(`${d.startLine}:${d.name}`));
  if (extra.length === 0) return parsed.definitions;
  return [...parsed.definitions, ...extra].sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

/**
 * Definitions found line by line. A definition ends just before the next line with no more
 * indentation than its own (Python-style scoping; for brace languages it is a close approximation
 * because the closing brace sits at the definition's indentation).
 */
export function extractDefinitionsByRegex(relPath: string, text: string): Definition[] {
  const rules = BY_EXT[path.posix.extname(relPath).slice(1).toLowerCase()];
  if (!rules) return [];
  const lines = text.split('\n');
  const found: { name: string; kind: string; line: number; indent: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.length > 400) continue;
    for (const rule of rules) {
      const m = rule.re.exec(line);
      const name = m?.groups?.n;
      if (name && !KEYWORDS.has(name)) {
        found.push({ name, kind: rule.kind, line: i + 1, indent: indentOf(line) });
        break;
      }
    }
  }
  return found.map((d) => ({ name: d.name, kind: d.kind, startLine: d.line, endLine: endOfBlock(lines, d.line, d.indent) }));
}

function indentOf(line: string): number {
  let n = 0;
  while (n < line.length && (line[n] === ' ' || line[n] === '\t')) n++;
  return n;
}

function endOfBlock(lines: readonly string[], startLine: number, indent: number): number {
  let last = startLine;
  for (let i = startLine; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    const ind = indentOf(line);
    if (ind <= indent) {
      // A closing brace/`end` at the definition's indentation belongs to it.
      if (/^\s*(\}|end\b|\))/.test(line)) return i + 1;
      // Decorators and multi-line signatures continue on the following lines at the same indent.
      if (i === startLine && /^\s*[)\]:]/.test(line)) continue;
      return last;
    }
    last = i + 1;
  }
  return last;
}
