import fs from 'node:fs';
import path from 'node:path';
import { createLogger } from '../src/logging/logger.js';
import { createCodeSearch } from '../src/search/code-search.js';
import { openDatabase } from '../src/storage/database.js';
import { migrate } from '../src/storage/migrate.js';
import { benchTuning, formatTable, percentile, readItems } from './table.js';

interface Item {
  instance_id: string;
  repo: string;
  problem_statement: string;
  gold_files: string[];
  file_location: string;
}

interface Result {
  readonly id: string;
  readonly repo: string;
  readonly named: boolean;
  readonly rank: number | undefined;
  readonly ms: number;
  readonly files: readonly string[];
}

/** The anchors printed beside our figures (from ../shared/retrieval-dev/README.md, same scorer). */
const ANCHORS: [string, number, number, number, string][] = [
  ['ripgrep-style keyword counts', 0.27, 0.68, 0.78, '0.15 / 0.54'],
  ['BM25 over whole source files', 0.32, 0.66, 0.78, '0.19 / 0.54'],
  ['LLM agent (LocAgent)', 0.8, 0.95, 0.98, '0.73 / 0.92'],
  ['goal without an LLM', 0.6, 0.85, Number.NaN, ''],
];

/**
 * The dev retrieval benchmark in-process: one index per checkout (kept in `cacheDir`, refreshed
 * incrementally), the issue text as the query, rank of the first gold file among distinct files.
 * With `outFile`, one JSON line per issue (instance_id, rank, files) to compare two versions.
 */
export async function runRetrievalBench(devDir: string, cacheDir: string, outFile?: string): Promise<string> {
  const items = readItems<Item>(path.join(devDir, 'items.jsonl'));
  const logger = createLogger({ level: 'silent' });
  fs.mkdirSync(cacheDir, { recursive: true });
  const results: Result[] = [];
  for (const it of items) {
    const root = path.join(devDir, 'repos', it.instance_id);
    if (!fs.existsSync(root)) continue;
    const db = openDatabase(path.join(cacheDir, `${it.instance_id}.db`));
    try {
      migrate(db);
      const search = createCodeSearch(db, logger, { tuning: benchTuning() });
      const repo = { id: root, root, label: it.instance_id };
      await search.index(repo);
      const t = performance.now();
      const hits = await search.search(repo, it.problem_statement, { limit: 20 });
      const ms = performance.now() - t;
      const files = [...new Set(hits.map((h) => h.path))];
      const idx = files.findIndex((f) => it.gold_files.includes(f));
      results.push({ id: it.instance_id, repo: it.repo, named: it.file_location !== 'None', rank: idx < 0 ? undefined : idx + 1, ms, files: files.slice(0, 20) });
    } finally {
      db.close();
    }
  }
  if (results.length === 0) return `retrieval: no checkouts under ${devDir}/repos (run prepare_dev.py first)`;
  if (outFile) fs.writeFileSync(outFile, results.map((r) => JSON.stringify({ instance_id: r.id, rank: r.rank ?? null, files: r.files })).join('\n') + '\n');

  const acc = (rs: readonly Result[], k: number) => rs.filter((r) => r.rank !== undefined && r.rank <= k).length / rs.length;
  const mrr = (rs: readonly Result[]) => rs.reduce((s, r) => s + (r.rank !== undefined && r.rank <= 10 ? 1 / r.rank : 0), 0) / rs.length;
  const row = (name: string, rs: readonly Result[]) => [name, rs.length, acc(rs, 1), acc(rs, 5), acc(rs, 10), mrr(rs)];
  const notNamed = results.filter((r) => !r.named);
  const repos = [...new Set(results.map((r) => r.repo))].sort();
  const lat = results.map((r) => r.ms).sort((a, b) => a - b);
  const ours = formatTable(
    ['retriever / subset', 'n', 'Acc@1', 'Acc@5', 'Acc@10', 'MRR@10'],
    [
      row('teammate search: all', results),
      row('teammate search: file not named', notNamed),
      ...repos.map((r) => row(`  ${r}`, results.filter((x) => x.repo === r))),
    ],
  );
  const anchors = formatTable(
    ['anchor (same split, same scorer)', 'Acc@1', 'Acc@5', 'Acc@10', 'not-named Acc@1 / Acc@5'],
    ANCHORS.map(([n, a1, a5, a10, nn]) => [n, a1, a5, Number.isNaN(a10) ? '' : a10, nn]),
  );
  return [
    '## Retrieval: dev benchmark (SWE-bench Lite issues → file the fix edited)',
    ours,
    '',
    anchors,
    '',
    `ours, not named: Acc@1 ${acc(notNamed, 1).toFixed(2)} / Acc@5 ${acc(notNamed, 5).toFixed(2)}; in-process query latency p50 ${percentile(lat, 0.5).toFixed(1)} ms, p95 ${percentile(lat, 0.95).toFixed(1)} ms`,
  ].join('\n');
}
