/**
 * Worker-thread entry for the ack benchmark: one fake Slack Web API per app under test, on its own
 * event loop so answering the app's API calls never delays the load generator's clock.
 * Messages in: `{ type: 'counts', id }`, `{ type: 'close' }`. Out: `{ type: 'ready', apiUrl }`,
 * `{ type: 'counts', id, counts }` (calls so far, per method).
 */
import { parentPort } from 'node:worker_threads';
import { startFakeSlack } from '../test/harness/fake-slack.js';

const port = parentPort;
if (!port) throw new Error('ack-latency-slack must run in a worker thread');

const slack = await startFakeSlack();
port.on('message', (m: { type: string; id?: number }) => {
  if (m.type === 'counts') {
    const counts: Record<string, number> = {};
    for (const c of slack.calls) counts[c.method] = (counts[c.method] ?? 0) + 1;
    // The bodies are not needed after counting; dropping them keeps a long run's memory flat.
    port.postMessage({ type: 'counts', id: m.id, counts });
  } else if (m.type === 'close') {
    void slack.close().then(() => port.close());
  }
});
port.postMessage({ type: 'ready', apiUrl: slack.apiUrl });
