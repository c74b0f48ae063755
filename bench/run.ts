import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAckLatencyBench } from './ack-latency.js';
import { runNoiseBench } from './noise-bench.js';
import { runProposalsBench } from './proposals-bench.js';
import { runQaBench } from './qa-bench.js';
import { runQueueBench } from './queue-bench.js';
import { runRetrievalBench } from './retrieval-bench.js';
import { runScanBench } from './scan-bench.js';
import { runSecretsBench } from './secrets-bench.js';
import { runSpeedBench } from './speed-bench.js';
import { readItems } from './table.js';

/**
 * `npm run bench`: retrieval quality on the bug-report and Slack-question dev sets and
 * indexing/query speed on a large repository, printed as tables with the anchor beside each
 * figure. Inputs (all optional; a missing input is reported, not faked):
 *   BENCH_DEV_DIR     prepared bug-report checkouts (prepare_dev.py output), default /tmp/retrieval-dev
 *   BENCH_DEV_OUT     write one JSON line per issue there (rank, files) to compare versions
 *   BENCH_QA_DIR      prepared Slack-question checkouts (prepare_qa_dev.py output), default /tmp/qa-dev
 *   BENCH_QA_OUT      write one JSON line per question there (ranks, files) to compare versions
 *   BENCH_CACHE_DIR   where per-checkout indexes are kept between runs, default $TMPDIR/teammate-bench-cache
 *   BENCH_LARGE_REPO  a git working tree with ≥ 10k files for the speed table
 *   BENCH_ONLY        comma list of suites to run (retrieval, qa, speed, secrets, scan, ack, noise, proposals, queue); all by default
 */
const SUITES: Record<string, (env: Env) => Promise<string>> = {
  retrieval: async (env) =>
    fs.existsSync(path.join(env.devDir, 'items.jsonl')) ? runRetrievalBench(env.devDir, env.cacheDir, process.env.BENCH_DEV_OUT) : `retrieval: ${env.devDir}/items.jsonl not found; set BENCH_DEV_DIR`,
  qa: async (env) =>
    fs.existsSync(path.join(env.qaDir, 'items.jsonl')) ? runQaBench(env.qaDir, env.cacheDir, process.env.BENCH_QA_OUT) : `qa: ${env.qaDir}/items.jsonl not found; set BENCH_QA_DIR`,
  speed: async (env) => {
    if (!fs.existsSync(path.join(env.large, '.git'))) return `speed: ${env.large} is not a git working tree; set BENCH_LARGE_REPO`;
    // Its own process: the table's RSS row is then this repository's index and queries alone, not
    // what the suites before it (dozens of dev-set indexes) left in the heap.
    if (process.env.BENCH_SPEED_CHILD !== '1') {
      execFileSync(process.execPath, [fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, BENCH_ONLY: 'speed', BENCH_SPEED_CHILD: '1' } });
      return '';
    }
    return runSpeedBench(env.large, [
      { name: 'bug reports', texts: questionsOf(env.devDir) },
      { name: 'Slack questions', texts: questionsOf(env.qaDir) },
    ]);
  },
  secrets: async (env) =>
    fs.existsSync(path.join(env.large, '.git')) ? runSecretsBench(env.large) : `secrets: ${env.large} is not a git working tree; set BENCH_LARGE_REPO`,
  // These print their own tables (they run child processes and stream progress).
  scan: async (env) => {
    process.env.BENCH_LARGE_REPO ??= env.large;
    await runScanBench();
    return '';
  },
  ack: async () => {
    await runAckLatencyBench();
    return '';
  },
  noise: async () => {
    await runNoiseBench();
    return '';
  },
  proposals: async () => runProposalsBench(),
  queue: async () => {
    await runQueueBench();
    return '';
  },
};

interface Env {
  readonly devDir: string;
  readonly qaDir: string;
  readonly cacheDir: string;
  readonly large: string;
}

function questionsOf(dir: string): string[] {
  const file = path.join(dir, 'items.jsonl');
  if (!fs.existsSync(file)) return [];
  return readItems<{ problem_statement: string }>(file).map((it) => it.problem_statement);
}

async function main(): Promise<void> {
  const env: Env = {
    devDir: process.env.BENCH_DEV_DIR ?? '/tmp/retrieval-dev',
    qaDir: process.env.BENCH_QA_DIR ?? '/tmp/qa-dev',
    cacheDir: process.env.BENCH_CACHE_DIR ?? path.join(os.tmpdir(), 'teammate-bench-cache'),
    large: process.env.BENCH_LARGE_REPO ?? '/tmp/bigrepo',
  };
  const wanted = (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = wanted.filter((s) => !(s in SUITES));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown suite(s) ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}`);
  for (const name of wanted.length > 0 ? wanted : Object.keys(SUITES)) {
    const suite = SUITES[name] as (env: Env) => Promise<string>;
    process.stdout.write(`${await suite(env)}\n\n`);
  }
}

await main();
