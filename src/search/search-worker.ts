/**
 * Worker-thread entry: answers search() calls over its own read-only SQLite connection to the
 * index file (WAL lets it read while the main connection writes), so FTS5 ranking, term
 * statistics and snippet building never hold the main thread's event loop — the loop that acks
 * Slack deliveries. It runs the same createCodeSearch as the main thread, so results are identical.
 * Started by searchInWorker(); one message in, one message out per query, in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '../logging/logger.js';
import { openDatabase } from '../storage/database.js';
import { createCodeSearch } from './code-search.js';
import type { SearchRequest, SearchResponse, SearchWorkerData } from './search-worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('search-worker must run in a worker thread');
const data = workerData as SearchWorkerData;

const db = openDatabase(data.dbFile, { readonly: true });
const search = createCodeSearch(db, createLogger({ level: data.logLevel }), {
  worker: false,
  ...(data.defaultLimit !== undefined ? { defaultLimit: data.defaultLimit } : {}),
});

port.on('message', (req: SearchRequest) => {
  search.search(req.repo, req.query, req.opts).then(
    (hits) => port.postMessage({ id: req.id, hits } satisfies SearchResponse),
    (err: unknown) => port.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) } satisfies SearchResponse),
  );
});
port.on('close', () => db.close());
