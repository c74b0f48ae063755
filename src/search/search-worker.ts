/**
 * Worker-thread entry: answers search() calls over its own read-only SQLite connection to the
 * index file (WAL lets it read while the main connection writes), so FTS5 ranking, term
 * statistics and snippet building never hold the main thread's event loop — the loop that acks
 * Slack deliveries. It runs the same createCodeSearch as the main thread, so results are identical.
 * Started by searchInWorker(); one message in, one message out per query, in order.
 *
 * While idle it also warms its connection's rank cache (warm-rank-cache.ts) whenever the index
 * version changes: when told (searchInWorker's index() and warmUp()), and when a poll sees a new
 * version that has stopped changing (another process indexed). Warming pauses with setImmediate
 * after every term, so a search that arrives waits for one term's scoring at most.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../logging/logger.js';
import { openDatabase } from '../storage/database.js';
import { indexVersion } from '../storage/index-version.js';
import { rankCacheIndex } from '../storage/rank-cache-index.js';
import { createCodeSearch } from './code-search.js';
import { DEFAULT_TUNING } from './ranking-tuning.js';
import type { SearchWorkerData, SearchWorkerReply, SearchWorkerRequest } from './search-worker-protocol.js';
import { seedDocumentFrequencies } from './term-stats.js';
import { type WarmUpReport, warmRankCache } from './warm-rank-cache.js';

/**
 * How often the worker looks for an index change it was not told about (a refresh by another
 * process): reading the version costs a few µs. A version is warmed only once two polls agree, so
 * an index being written batch after batch is not warmed at every batch.
 */
const WARM_POLL_MS = 2000;

const port = parentPort;
if (!port) throw new Error('search-worker must run in a worker thread');
const data = workerData as SearchWorkerData;

const db = openDatabase(data.dbFile, { readonly: true });
const logger = createLogger({ level: data.logLevel });
// No tuning override: createCodeSearch ranks with DEFAULT_TUNING, and warm-up must use the same.
const search = createCodeSearch(db, logger, {
  worker: false,
  ...(data.defaultLimit !== undefined ? { defaultLimit: data.defaultLimit } : {}),
});

let warming = false;
/** A warm request arrived during a run: the index may have changed since it started. */
let requested = false;
let closed = false;
let last: WarmUpReport | undefined;
const reply = (msg: SearchWorkerReply) => port.postMessage(msg);
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Warms the cache for the index's current version, unless that is done or under way. */
async function warmToCurrent(): Promise<void> {
  if (warming) return;
  warming = true;
  requested = false;
  let version = '';
  const t0 = performance.now();
  try {
    version = indexVersion(db);
    if (closed || version === last?.version) return;
    const report = await warmRankCache(rankCacheIndex(db), { tune: DEFAULT_TUNING, pause, onTerms: (v, terms) => seedDocumentFrequencies(db, v, terms) });
    if (closed) return;
    // An outdated run is not retried at once: an index being written changes again and again; the
    // poll starts over once the version holds still (or index() says it is done).
    if (report.complete) last = report;
    reply({ warmed: report });
    logger.debug({ terms: report.terms, postings: report.postings, ms: Math.round(report.ms), complete: report.complete }, 'rank cache warm-up');
  } catch (err) {
    if (closed) return;
    // Warm-up is an optimisation: a failure leaves queries as fast as before, and says why. The
    // version is marked done so that the poll does not fail again every few seconds.
    const error = err instanceof Error ? err.message : String(err);
    logger.warn({ err }, 'rank cache warm-up failed');
    last = { version, terms: 0, postings: 0, ms: performance.now() - t0, complete: false, cachePostings: 0, error };
    reply({ warmed: last });
  } finally {
    warming = false;
  }
  if (requested && !closed) await warmToCurrent();
}

port.on('message', (req: SearchWorkerRequest) => {
  if ('warm' in req) {
    if (warming) requested = true;
    else if (last && indexVersion(db) === last.version) reply({ warmed: last });
    else void warmToCurrent();
    return;
  }
  search.search(req.repo, req.query, req.opts).then(
    (hits) => reply({ id: req.id, hits }),
    (err: unknown) => reply({ id: req.id, error: err instanceof Error ? err.message : String(err) }),
  );
});

// Nothing is warmed at start: a one-shot CLI search would pay for it. The bot asks (warmUp) once
// its indexes are up to date; a worker restarted after a crash warms at its second poll.
let polled: string | undefined;
const poll = setInterval(() => {
  if (closed || warming) return;
  try {
    const version = indexVersion(db);
    if (version === polled && version !== last?.version) void warmToCurrent();
    polled = version;
  } catch (err) {
    logger.warn({ err }, 'rank cache warm-up: could not read the index version');
  }
}, WARM_POLL_MS);

port.on('close', () => {
  closed = true;
  clearInterval(poll);
  db.close();
});
