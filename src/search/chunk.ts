import type { Definition } from './definitions.js';

export interface Chunk {
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
}

const TARGET_LINES = 40;
const MIN_LINES = 12;
const MAX_LINES = 80;
const MAX_CHUNK_CHARS = 12_000;

/**
 * Line-ranged chunks aligned to definitions: a chunk closes at a top-ish definition start once it
 * has MIN_LINES, and is cut hard at MAX_LINES (or MAX_CHUNK_CHARS for long lines), so a hit points
 * at a function rather than at an arbitrary window.
 */
export function chunkLines(text: string, defs: readonly Definition[]): Chunk[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const defStarts = new Set<number>();
  for (const d of defs) defStarts.add(d.startLine);
  const chunks: Chunk[] = [];
  let start = 1;
  let chars = 0;
  for (let n = 1; n <= lines.length; n++) {
    const size = n - start;
    const atDef = defStarts.has(n) && size >= MIN_LINES;
    const tooBig = size >= MAX_LINES || chars > MAX_CHUNK_CHARS;
    const soft = size >= TARGET_LINES && (lines[n - 1] as string).trim() === '';
    if (n > start && (atDef || tooBig || soft)) {
      chunks.push({ startLine: start, endLine: n - 1, text: lines.slice(start - 1, n - 1).join('\n') });
      start = n;
      chars = 0;
    }
    chars += (lines[n - 1] as string).length + 1;
  }
  if (start <= lines.length) chunks.push({ startLine: start, endLine: lines.length, text: lines.slice(start - 1).join('\n') });
  return chunks;
}
