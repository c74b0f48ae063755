/**
 * Ack latency under a burst of mentions: Teammate against a bare Bolt app, same machine, same run.
 *
 * Slack wants every delivery acked within 3 s, or it retries (more load). Teammate acks from the
 * same event loop that answers, so answer work must not starve acks. The anchor is a bare Bolt app
 * (HTTPReceiver, an app_mention listener that only calls chat.postMessage): what Bolt itself costs
 * on this machine. The goal is Teammate's ack p99 ≤ 3× the bare app's at 50 mentions/s.
 *
 * Each app runs in its own process (as in production) against its own fake Slack Web API (a worker
 * thread of this process); this process signs app_mention events like Slack and sends them at a
 * fixed rate for a bounded time, timing each request to its HTTP response (the ack), then waits for
 * every answer to be delivered before the next rate. Loopback only.
 *
 * Inputs (all optional):
 *   BENCH_ACK_RATES    comma-separated mentions/s, default 10,20,50
 *   BENCH_ACK_SECONDS  seconds of load per rate and app, default 9, split in rounds
 *   BENCH_ACK_ROUNDS   rounds per rate, default 3: the apps take turns (order alternating) so a
 *                      neighbour's CPU burst on a shared machine lands on both, not on one
 *   BENCH_ACK_REPO     repository Teammate indexes and answers about, default this repository
 *   BENCH_ACK_ENV      extra Teammate settings, e.g. "TEAMMATE_ANSWER_CONCURRENCY=2"
 *   BENCH_ACK_CPU_PROF a folder: Teammate's process writes a V8 CPU profile there (node --cpu-prof)
 */
import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { appMentionEnvelope, signSlackRequest } from '../test/harness/slack-signing.js';
import type { TargetConfig } from './ack-latency-target.js';

const SECRET = 'bench-signing-secret';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GOAL_RATIO = 3;
const SLACK_DEADLINE_MS = 3_000;
const REQUEST_TIMEOUT_MS = 10_000;
const DRAIN_TIMEOUT_MS = 180_000;

/** Questions about this repository (the default corpus); any corpus answers them somehow. */
const QUESTIONS = [
  'where is the configuration loaded from the environment?',
  'how are Slack request signatures and timestamps verified?',
  'what happens when Slack retries a delivery of the same event?',
  'how does search rank files for a question?',
  'where are database migrations applied?',
  'how does the extractive answer choose snippets?',
  "TypeError: Cannot read properties of undefined (reading 'ts') at handleQuestion",
  'how are secrets scrubbed from logs?',
  'which environment variable sets the HTTP port?',
  'how does the index worker report progress?',
];

interface AppUnderTest {
  readonly name: 'Teammate' | 'bare Bolt';
  readonly url: string;
  readonly agent: http.Agent;
  readonly child: ChildProcess;
  readonly slack: FakeSlackWorker;
  /** The fake Slack call that marks one mention fully handled. */
  readonly doneMethod: string;
}

interface RunResult {
  sent: number;
  /** Milliseconds from sending to the HTTP response, one per acked request. */
  readonly acks: number[];
  failed: number;
  answered: number;
  /** Longest time from the first send to the last answer, over the rounds. */
  drainSeconds: number;
  maxSendLagMs: number;
  /** The app's main-thread event-loop utilization while loaded and draining, per round. */
  readonly elu: number[];
  /** Slack Web API calls the app made for these mentions. */
  slackCalls: number;
}

interface FakeSlackWorker {
  readonly apiUrl: string;
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

async function startFakeSlackWorker(): Promise<FakeSlackWorker> {
  const worker = new Worker(new URL('./ack-latency-slack.js', import.meta.url));
  let nextId = 0;
  const waiting = new Map<number, (c: Record<string, number>) => void>();
  const apiUrl = await new Promise<string>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: { type: string; apiUrl?: string; id?: number; counts?: Record<string, number> }) => {
      if (m.type === 'ready' && m.apiUrl) resolve(m.apiUrl);
      if (m.type === 'counts' && m.id !== undefined) {
        waiting.get(m.id)?.(m.counts ?? {});
        waiting.delete(m.id);
      }
    });
  });
  return {
    apiUrl,
    counts() {
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        worker.postMessage({ type: 'counts', id });
      });
    },
    async close() {
      worker.postMessage({ type: 'close' });
      await Promise.race([new Promise((r) => worker.once('exit', r)), sleep(2_000)]);
      await worker.terminate();
    },
  };
}

async function startTarget(config: TargetConfig, execArgv: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(fileURLToPath(new URL('./ack-latency-target.js', import.meta.url)), [], {
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    execArgv,
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${config.kind} did not start within 180 s`)), 180_000);
    child.once('exit', (code) => reject(new Error(`${config.kind} exited with code ${code} before it was ready`)));
    child.once('message', (m: { type: string; port?: number; message?: string }) => {
      clearTimeout(timer);
      if (m.type === 'ready' && m.port) resolve(m.port);
      else reject(new Error(`${config.kind} failed to start: ${m.message}`));
    });
    child.send(config);
  });
  child.removeAllListeners('exit');
  return { child, port };
}

/** The target's main-thread utilization since the previous call. */
function eventLoopUtilization(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (m: { type: string; utilization?: number }) => {
      if (m.type !== 'elu') return;
      child.off('message', onMessage);
      resolve(m.utilization ?? Number.NaN);
    };
    child.on('message', onMessage);
    child.send({ type: 'elu' });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let mentionCounter = 0;
/** A signed app_mention, unique per call (event_id and ts), as Slack would POST it. */
function signedMention(): { body: string; headers: Record<string, string> } {
  mentionCounter += 1;
  const ts = `${1_800_000_000 + mentionCounter}.000100`;
  const question = QUESTIONS[mentionCounter % QUESTIONS.length]!;
  const body = JSON.stringify(appMentionEnvelope({ text: `<@UBOT> ${question}`, ts, event_id: `EvBENCH${mentionCounter}` }));
  return { body, headers: { 'content-type': 'application/json', ...signSlackRequest(SECRET, body) } };
}

/** Resolves with the milliseconds until the response status arrived, or rejects. */
function timeAck(app: AppUnderTest): Promise<number> {
  const { body, headers } = signedMention();
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(app.url, { method: 'POST', headers, agent: app.agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const ms = performance.now() - started;
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(ms) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

const emptyResult = (): RunResult => ({ sent: 0, acks: [], failed: 0, answered: 0, drainSeconds: 0, maxSendLagMs: 0, elu: [], slackCalls: 0 });
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** `count` mentions at `rate`/s, open loop (a slow ack never delays the next send), then the drain; adds to `into`. */
async function runLoad(app: AppUnderTest, rate: number, count: number, into: RunResult = emptyResult()): Promise<RunResult> {
  const countsBefore = await app.slack.counts();
  const before = countsBefore[app.doneMethod] ?? 0;
  await eventLoopUtilization(app.child);
  const { acks } = into;
  let failed = 0;
  let maxSendLagMs = 0;
  const inFlight: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    maxSendLagMs = Math.max(maxSendLagMs, performance.now() - due);
    inFlight.push(
      timeAck(app).then(
        (ms) => void acks.push(ms),
        () => void (failed += 1),
      ),
    );
  }
  await Promise.all(inFlight);
  let answered = 0;
  let countsAfter = countsBefore;
  const drainDeadline = performance.now() + DRAIN_TIMEOUT_MS;
  while (performance.now() < drainDeadline) {
    countsAfter = await app.slack.counts();
    answered = (countsAfter[app.doneMethod] ?? 0) - before;
    // A request the load generator gave up on may never have reached the app.
    if (answered >= count - failed) break;
    await sleep(100);
  }
  into.slackCalls += sum(countsAfter) - sum(countsBefore);
  into.elu.push(await eventLoopUtilization(app.child));
  acks.sort((a, b) => a - b);
  into.sent += count;
  into.failed += failed;
  into.answered += answered;
  into.drainSeconds = Math.max(into.drainSeconds, (performance.now() - t0) / 1000);
  into.maxSendLagMs = Math.max(into.maxSendLagMs, maxSendLagMs);
  return into;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const late = (r: RunResult) => r.failed + r.acks.filter((a) => a > SLACK_DEADLINE_MS).length;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (x: number) => `${Math.round(x * 100)} %`;
const ms = (n: number) => (Number.isNaN(n) ? '-' : n >= 100 ? n.toFixed(0) : n.toFixed(1));

function parseRates(raw: string | undefined): number[] {
  const rates = (raw ?? '10,20,50').split(',').map((s) => Number(s.trim()));
  if (rates.some((r) => !Number.isFinite(r) || r <= 0 || r > 500)) throw new Error(`BENCH_ACK_RATES: expected rates between 1 and 500 per second, got "${raw}"`);
  return rates;
}

function parseEnvList(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (raw ?? '').split(/[,\s]+/).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`BENCH_ACK_ENV: expected NAME=value pairs, got "${pair}"`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

export async function runAckLatencyBench(): Promise<void> {
  const rates = parseRates(process.env.BENCH_ACK_RATES);
  const seconds = Number(process.env.BENCH_ACK_SECONDS ?? 9);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 120) throw new Error('BENCH_ACK_SECONDS: expected 1–120');
  const rounds = Number(process.env.BENCH_ACK_ROUNDS ?? 3);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) throw new Error('BENCH_ACK_ROUNDS: expected a whole number 1–20');
  const repo = path.resolve(process.env.BENCH_ACK_REPO ?? ROOT);
  const profDir = process.env.BENCH_ACK_CPU_PROF;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'teammate-ack-bench-'));
  const apps: AppUnderTest[] = [];
  const slacks: FakeSlackWorker[] = [];
  try {
    const bareSlack = await startFakeSlackWorker();
    const teammateSlack = await startFakeSlackWorker();
    slacks.push(bareSlack, teammateSlack);
    const bare = await startTarget({ kind: 'bare', apiUrl: bareSlack.apiUrl, signingSecret: SECRET }, []);
    apps.push(appUnderTest('bare Bolt', bare, bareSlack, 'chat.postMessage'));
    process.stdout.write(`ack latency: indexing ${repo} for Teammate…\n`);
    const teammate = await startTarget(
      { kind: 'teammate', apiUrl: teammateSlack.apiUrl, signingSecret: SECRET, repo, dataDir: tmp, env: parseEnvList(process.env.BENCH_ACK_ENV) },
      profDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profDir)}`] : [],
    );
    // reactions.remove is the last call of every answer, whatever its outcome.
    apps.push(appUnderTest('Teammate', teammate, teammateSlack, 'reactions.remove'));

    // Warm both (JIT, connection pools, SQLite page cache) before anything is measured.
    for (const app of apps) await runLoad(app, 10, 20);

    const results = new Map<string, RunResult>();
    for (const rate of rates) {
      const count = Math.max(1, Math.round((rate * seconds) / rounds));
      process.stdout.write(`ack latency: ${rounds} × ${count} mentions at ${rate}/s for each app…\n`);
      for (let round = 0; round < rounds; round++) {
        for (const app of round % 2 === 0 ? apps : [...apps].reverse()) {
          const key = `${app.name}@${rate}`;
          results.set(key, await runLoad(app, rate, count, results.get(key)));
        }
      }
    }
    process.stdout.write(`\n${formatResults(rates, results, seconds, rounds)}\n`);
  } finally {
    for (const app of apps) {
      app.agent.destroy();
      app.child.kill('SIGTERM');
      await Promise.race([new Promise((r) => app.child.once('exit', r)), sleep(5_000)]);
    }
    for (const s of slacks) await s.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function appUnderTest(name: AppUnderTest['name'], target: { child: ChildProcess; port: number }, slack: FakeSlackWorker, doneMethod: string): AppUnderTest {
  return {
    name,
    url: `http://127.0.0.1:${target.port}/slack/events`,
    agent: new http.Agent({ keepAlive: true, maxSockets: Infinity }),
    child: target.child,
    slack,
    doneMethod,
  };
}

function formatResults(rates: readonly number[], results: ReadonlyMap<string, RunResult>, seconds: number, rounds: number): string {
  const rows = rates.map((rate) => {
    const t = results.get(`Teammate@${rate}`)!;
    const b = results.get(`bare Bolt@${rate}`)!;
    const ratio = percentile(t.acks, 0.99) / percentile(b.acks, 0.99);
    const goal = rate === Math.max(...rates) ? `≤ ${GOAL_RATIO}× ${ratio <= GOAL_RATIO ? 'met' : 'MISSED'}` : `≤ ${GOAL_RATIO}×`;
    return [
      `${rate}/s`,
      `${ms(percentile(t.acks, 0.5))} / ${ms(percentile(t.acks, 0.99))}`,
      `${ms(percentile(b.acks, 0.5))} / ${ms(percentile(b.acks, 0.99))}`,
      `${ratio.toFixed(1)}×`,
      goal,
      `${late(t)} / ${late(b)}`,
      `${t.answered}/${t.sent}, ${t.drainSeconds.toFixed(1)} s`,
      `${b.answered}/${b.sent}`,
      `${pct(mean(t.elu))} / ${pct(mean(b.elu))}`,
      `${(t.slackCalls / t.sent).toFixed(1)} / ${(b.slackCalls / b.sent).toFixed(1)}`,
      `${ms(Math.max(t.maxSendLagMs, b.maxSendLagMs))}`,
    ];
  });
  return [
    `Ack latency (ms, send → HTTP response): ${seconds} s of signed app_mention events per rate and app in ${rounds} alternating rounds; anchor: a bare Bolt app that acks and posts`,
    formatTable(
      [
        'rate',
        'Teammate p50 / p99',
        'bare Bolt p50 / p99',
        'p99 ratio',
        'goal',
        `> ${SLACK_DEADLINE_MS / 1000} s or failed (T / B)`,
        'Teammate answered, longest round',
        'bare posted',
        'main thread busy (T / B)',
        'Slack calls per mention (T / B)',
        'send lag max',
      ],
      rows,
    ),
  ].join('\n');
}
