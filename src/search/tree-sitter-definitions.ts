import { createRequire } from 'node:module';
import path from 'node:path';
// The package is a UMD bundle: Node exposes module.exports as the default export only.
import TreeSitter from '@vscode/tree-sitter-wasm';
import { GRAMMAR_BY_EXT, QUERY_BY_GRAMMAR } from './definition-queries.js';
import type { Definition } from './definitions.js';

type Parser = InstanceType<typeof TreeSitter.Parser>;
type Query = InstanceType<typeof TreeSitter.Query>;

interface Grammar {
  readonly parser: Parser;
  readonly query: Query;
}

/** Larger files go to the regex rules: a parse costs memory proportional to the text. */
const MAX_PARSE_CHARS = 1_000_000;

const require = createRequire(import.meta.url);
let runtime: Promise<boolean> | undefined;
const loading = new Map<string, Promise<void>>();
const ready = new Map<string, Grammar>();

/** The tree-sitter grammar for this path's extension, if we ship one. */
export function grammarFor(relPath: string): string | undefined {
  return GRAMMAR_BY_EXT[path.posix.extname(relPath).slice(1).toLowerCase()];
}

/**
 * Loads the runtime and the grammars these paths need (all six languages when no paths are
 * given), once per thread: WASM instantiation is async, parsing afterwards is synchronous. A
 * grammar that fails to load is left out, and its files keep the regex rules. Never rejects.
 */
export async function loadTreeSitterGrammars(relPaths?: Iterable<string>): Promise<void> {
  const wanted = new Set<string>();
  if (relPaths) {
    for (const p of relPaths) {
      const g = grammarFor(p);
      if (g) wanted.add(g);
    }
  } else {
    for (const g of Object.values(GRAMMAR_BY_EXT)) wanted.add(g);
  }
  if (wanted.size === 0) return;
  runtime ??= TreeSitter.Parser.init().then(
    () => true,
    () => false,
  );
  if (!(await runtime)) return;
  await Promise.all([...wanted].map((g) => loadGrammar(g)));
}

function loadGrammar(name: string): Promise<void> {
  let p = loading.get(name);
  if (!p) {
    p = (async () => {
      try {
        const language = await TreeSitter.Language.load(require.resolve(`@vscode/tree-sitter-wasm/wasm/tree-sitter-${name}.wasm`));
        const parser = new TreeSitter.Parser();
        parser.setLanguage(language);
        ready.set(name, { parser, query: new TreeSitter.Query(language, QUERY_BY_GRAMMAR[name] as string) });
      } catch {
        // Missing or incompatible grammar: this language stays on the regex rules.
      }
    })();
    loading.set(name, p);
  }
  return p;
}

export interface TreeSitterResult {
  readonly definitions: Definition[];
  /** The parse needed error recovery: part of the file may be missing from `definitions`. */
  readonly hadErrors: boolean;
}

/**
 * Definitions from the syntax tree, or undefined when this file has no loaded grammar (or is too
 * large), so the caller falls back to the regex rules. Sorted by position, outer before inner.
 */
export function extractTreeSitterDefinitions(relPath: string, text: string): TreeSitterResult | undefined {
  const name = grammarFor(relPath);
  const grammar = name ? ready.get(name) : undefined;
  if (!grammar || text.length > MAX_PARSE_CHARS) return undefined;
  const tree = grammar.parser.parse(text);
  if (!tree) return undefined;
  try {
    // Keyed by the name node's start so that when several patterns capture one name, the
    // earliest pattern (the more specific one) decides the kind.
    const byName = new Map<number, { pattern: number; at: number; size: number; def: Definition }>();
    for (const match of grammar.query.matches(tree.rootNode)) {
      let nameNode: TreeSitter.Node | undefined;
      let defNode: TreeSitter.Node | undefined;
      let kind = '';
      for (const c of match.captures) {
        if (c.name === 'name') nameNode = c.node;
        else if (c.name.startsWith('def.')) {
          defNode = c.node;
          kind = c.name.slice(4);
        }
      }
      if (!nameNode || !defNode) continue;
      const key = nameNode.startIndex;
      const seen = byName.get(key);
      if (seen && seen.pattern <= match.patternIndex) continue;
      const end = defNode.endPosition;
      byName.set(key, {
        pattern: match.patternIndex,
        at: defNode.startIndex,
        size: defNode.endIndex - defNode.startIndex,
        def: {
          name: nameNode.text,
          kind,
          startLine: defNode.startPosition.row + 1,
          // A node ending at column 0 ends on the line before (its last newline).
          endLine: end.column === 0 && end.row > defNode.startPosition.row ? end.row : end.row + 1,
        },
      });
    }
    const found = [...byName.values()].sort((a, b) => a.at - b.at || b.size - a.size);
    return { definitions: found.map((f) => f.def), hadErrors: tree.rootNode.hasError };
  } finally {
    // Trees live in the WASM heap, outside the garbage collector's reach.
    tree.delete();
  }
}
