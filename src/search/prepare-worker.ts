/**
 * Worker-thread entry: reads and prepares (redact, definitions, chunks, tokens) the files of each
 * job it is sent and posts the outcomes back, so a first index uses every core while the one
 * writer thread only lists files and writes rows. Started by createPreparePool().
 */
import { parentPort } from 'node:worker_threads';
import { prepareDefinitionParsers } from './definitions.js';
import type { PrepareJob, PrepareReply } from './prepare-pool.js';
import { readAndPrepare } from './read-and-prepare.js';

const port = parentPort;
if (!port) throw new Error('prepare-worker must run in a worker thread');

port.on('message', (job: PrepareJob) => {
  void (async () => {
    let reply: PrepareReply;
    try {
      // Grammars load once per thread, for the languages this job needs.
      await prepareDefinitionParsers(job.files.map((f) => f.path));
      reply = { id: job.id, outcomes: job.files.map((f) => readAndPrepare(job.root, f)) };
    } catch (err) {
      reply = { id: job.id, error: (err as Error).message || String(err) };
    }
    port.postMessage(reply);
  })();
});
