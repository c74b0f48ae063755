import fs from 'node:fs';
import path from 'node:path';
import { createLogger } from '../src/logging/logger.js';
import { createCodeSearch } from '../src/search/code-search.js';
import { openDatabase } from '../src/storage/database.js';
import { migrate } from '../src/storage/migrate.js';
import { benchTuning, formatTable, percentile, readItems } from './table.js';

interface QaItem {
  instance_id: string;
  repo: string;
  repo_dir: string;
  problem_statement: string;
  gold_files: string[];
  primary_file: string;
  file_location: string;
  has_identifier: boolean;
}

interface QaResult {
  readonly id: string;
  readonly repo: string;
  readonly plain: boolean;
  /** Rank of the first of any cited file, and of the first cited file alone. */
  readonly any: number | undefined;
  readonly primary: number | undefined;
  readonly files: readonly string[];
  readonly ms: number;
}

/** The anchors of ../shared/qa-dev/README.md (same set, same scorer): any Acc@1/5/10, primary Acc@1/5. */
const ANCHORS: [string, number, number, number, number, number][] = [
  ['keyword counts, all files', 0.493, 0.817, 0.88, 0.331, 0.585],
  ['BM25, all files', 0.479, 0.789, 0.866, 0.366, 0.655],
  ['BM25, source files', 0.577, 0.824, 0.908, 0.423, 0.606],
  ['teammate at 1f50616 (before issue 9)', 0.711, 0.923, 0.958, 0.535, 0.746],
  ['goal (issue 9)', 0.78, 0.96, Number.NaN, 0.62, Number.NaN],
];

/**
 * The Slack-question development set (../shared/qa-dev, prepared by its prepare_qa_dev.py) in
 * process: one index per repository (cached in `cacheDir`), each question as the query, the rank
 * of the first cited file (any) and of the first file the reference answer cites (primary).
 * With `outFile`, one JSON line per question (instance_id, files, ranks) to compare two versions.
 */
export async function runQaBench(qaDir: string, cacheDir: string, outFile?: string): Promise<string> {
  const items = readItems<QaItem>(path.join(qaDir, 'items.jsonl'));
  const logger = createLogger({ level: 'silent' });
  fs.mkdirSync(cacheDir, { recursive: true });
  const results: QaResult[] = [];
  const byRepo = new Map<string, QaItem[]>();
  for (const it of items) byRepo.set(it.repo_dir, [...(byRepo.get(it.repo_dir) ?? []), it]);
  for (const [root, repoItems] of byRepo) {
    if (!fs.existsSync(root)) continue;
    const db = openDatabase(path.join(cacheDir, `qa-${path.basename(root)}.db`));
    try {
      migrate(db);
      const search = createCodeSearch(db, logger, { tuning: benchTuning() });
      const repo = { id: root, root, label: path.basename(root) };
      await search.index(repo);
      for (const it of repoItems) {
        const t = performance.now();
        const hits = await search.search(repo, it.problem_statement, { limit: 20 });
        const ms = performance.now() - t;
        const files = [...new Set(hits.map((h) => h.path))];
        const rank = (gold: readonly string[]) => {
          const i = files.findIndex((f) => gold.includes(f));
          return i < 0 ? undefined : i + 1;
        };
        results.push({
          id: it.instance_id,
          repo: it.repo,
          plain: it.file_location === 'None' && !it.has_identifier,
          any: rank(it.gold_files),
          primary: rank([it.primary_file]),
          files,
          ms,
        });
      }
    } finally {
      db.close();
    }
  }
  if (results.length === 0) return `qa: no checkouts for ${qaDir}/items.jsonl (run prepare_qa_dev.py first)`;
  if (outFile) fs.writeFileSync(outFile, results.map((r) => JSON.stringify({ instance_id: r.id, any: r.any ?? null, primary: r.primary ?? null, files: r.files.slice(0, 20) })).join('\n') + '\n');

  const acc = (rs: readonly QaResult[], key: 'any' | 'primary', k: number) => rs.filter((r) => (r[key] ?? Infinity) <= k).length / rs.length;
  const mrr = (rs: readonly QaResult[]) => rs.reduce((s, r) => s + (r.any !== undefined && r.any <= 10 ? 1 / r.any : 0), 0) / rs.length;
  const row = (name: string, rs: readonly QaResult[]) => [name, rs.length, acc(rs, 'any', 1), acc(rs, 'any', 5), acc(rs, 'any', 10), mrr(rs), acc(rs, 'primary', 1), acc(rs, 'primary', 5)];
  const repos = [...new Set(results.map((r) => r.repo))].sort();
  const lat = results.map((r) => r.ms).sort((a, b) => a - b);
  return [
    '## Slack-style questions: qa-dev (SWE-QA questions → files the reference answer cites)',
    formatTable(
      ['retriever / subset', 'n', 'any Acc@1', 'Acc@5', 'Acc@10', 'MRR@10', 'primary Acc@1', 'primary Acc@5'],
      [
        row('teammate search: all', results),
        row('teammate search: plain language', results.filter((r) => r.plain)),
        ...repos.map((r) => row(`  ${r}`, results.filter((x) => x.repo === r))),
      ],
    ),
    '',
    formatTable(
      ['anchor (same set, same scorer)', 'any Acc@1', 'Acc@5', 'Acc@10', 'primary Acc@1', 'primary Acc@5'],
      ANCHORS.map(([n, ...v]) => [n, ...v.map((x) => (Number.isNaN(x) ? '' : x))]),
    ),
    '',
    `in-process query latency p50 ${percentile(lat, 0.5).toFixed(1)} ms, p95 ${percentile(lat, 0.95).toFixed(1)} ms`,
  ].join('\n');
}
