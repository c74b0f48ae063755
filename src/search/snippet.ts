import { tokenizeCode } from './tokenize.js';

const WINDOW = 6;

/**
 * The few lines of a chunk that hold the most distinct query terms (ties: the earliest), so a
 * citation points at the relevant lines rather than the whole chunk.
 */
export function makeSnippet(text: string, startLine: number, terms: readonly string[]): { text: string; startLine: number; endLine: number } {
  const lines = text.split('\n');
  const wanted = new Set(terms);
  const lineTerms = lines.map((l) => new Set(tokenizeCode(l).filter((t) => wanted.has(t))));
  let bestStart = 0;
  let bestScore = -1;
  for (let i = 0; i < Math.max(1, lines.length - WINDOW + 1); i++) {
    const seen = new Set<string>();
    for (let j = i; j < Math.min(lines.length, i + WINDOW); j++) for (const t of lineTerms[j] ?? []) seen.add(t);
    if (seen.size > bestScore) {
      bestScore = seen.size;
      bestStart = i;
    }
  }
  const end = Math.min(lines.length, bestStart + WINDOW);
  return { text: lines.slice(bestStart, end).join('\n'), startLine: startLine + bestStart, endLine: startLine + end - 1 };
}
