import fs from 'node:fs';
import type { RankingTuning } from '../src/search/ranking-tuning.js';

/**
 * Ranking constants for a benchmark experiment: BENCH_TUNING='{"defMatchW":1.5}' (JSON, checked by
 * createCodeSearch). The product never reads them from the environment.
 */
export function benchTuning(): Partial<RankingTuning> {
  const raw = process.env.BENCH_TUNING;
  if (!raw) return {};
  return JSON.parse(raw) as Partial<RankingTuning>;
}

/** A plain-text table: the benchmark output is read by people in a terminal and pasted into notes. */
export function formatTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  const line = (r: readonly (string | number)[]) => r.map((c, i) => String(c).padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(cells[0] as string[]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

function fmt(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(3);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] as number;
}

/** The items of a dev set's `items.jsonl` (one JSON object a line). */
export function readItems<T>(file: string): T[] {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as T);
}
