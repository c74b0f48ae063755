import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runRetrievalBench } from './retrieval-bench.js';
import { runSecretsBench } from './secrets-bench.js';
import { runSpeedBench } from './speed-bench.js';
import { runProposalsBench } from './proposals-bench.js';

/**
 * `npm run bench`: retrieval quality on the dev benchmark and indexing/query speed on a large
 * repository, printed as tables with the anchor beside each figure. Inputs (all optional):
 *   BENCH_DEV_DIR     prepared dev checkouts (prepare_dev.py output), default /tmp/retrieval-dev
 *   BENCH_CACHE_DIR   where per-checkout indexes are kept between runs, default $TMPDIR/teammate-bench-cache
 *   BENCH_LARGE_REPO  a git working tree with ≥ 10k files for the speed table (skipped when unset/missing)
 *   BENCH_ONLY        "retrieval", "speed", "proposals" or "secrets" (secret redaction cost on BENCH_LARGE_REPO)
 */
async function main(): Promise<void> {
  const devDir = process.env.BENCH_DEV_DIR ?? '/tmp/retrieval-dev';
  const cacheDir = process.env.BENCH_CACHE_DIR ?? path.join(os.tmpdir(), 'teammate-bench-cache');
  const large = process.env.BENCH_LARGE_REPO ?? '/tmp/bigrepo';
  const only = process.env.BENCH_ONLY;
  const out: string[] = [];
  if (only === 'proposals') {
    process.stdout.write(`${await runProposalsBench()}\n`);
    return;
  }
  if (only === 'secrets') {
    process.stdout.write(`${fs.existsSync(path.join(large, '.git')) ? runSecretsBench(large) : `secrets: ${large} is not a git working tree; set BENCH_LARGE_REPO`}\n`);
    return;
  }
  if (only !== 'speed') {
    out.push(fs.existsSync(path.join(devDir, 'items.jsonl')) ? await runRetrievalBench(devDir, cacheDir) : `retrieval: ${devDir}/items.jsonl not found; set BENCH_DEV_DIR`);
    process.stdout.write(`${out[out.length - 1]}\n\n`);
  }
  if (only !== 'retrieval') {
    const questions = fs.existsSync(path.join(devDir, 'items.jsonl'))
      ? fs
          .readFileSync(path.join(devDir, 'items.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => (JSON.parse(l) as { problem_statement: string }).problem_statement)
      : ['load configuration from the environment', 'TypeError: cannot read properties of undefined'];
    const text = fs.existsSync(path.join(large, '.git')) ? await runSpeedBench(large, questions) : `speed: ${large} is not a git working tree; set BENCH_LARGE_REPO`;
    process.stdout.write(`${text}\n`);
  }
  process.stdout.write(`\n${await runProposalsBench()}\n`);
}

await main();
