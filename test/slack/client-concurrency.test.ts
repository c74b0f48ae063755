/**
 * Under a burst, Slack Web API calls wait in the client's own queue instead of all running at once
 * on the event loop that acks deliveries (issue 6 item 10): the real WebClient, built with our
 * options, against a local server that answers held requests only once no new one has come for a
 * while — so a client that sends more than it may at once is seen doing it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging/logger.js';
import { slackClientOptions } from '../../src/slack/slack-app.js';

const CALLS = 20;
const ALLOWED = 8;
const QUIET_MS = 150;

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

describe('the Slack Web API client', () => {
  it(`keeps at most ${ALLOWED} calls in flight and queues the rest first come, first served`, async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let quiet: NodeJS.Timeout | undefined;
    const held: { res: http.ServerResponse; text: string }[] = [];
    const order: string[] = [];
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const text = new URLSearchParams(raw).get('text') ?? '';
        order.push(text);
        held.push({ res, text });
        clearTimeout(quiet);
        quiet = setTimeout(() => {
          for (const h of held.splice(0)) {
            inFlight -= 1;
            h.res.writeHead(200, { 'content-type': 'application/json' });
            h.res.end(JSON.stringify({ ok: true, channel: 'C1', ts: `1.${h.text}` }));
          }
        }, QUIET_MS);
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
    const client = new webApi.WebClient('xoxb-test', slackClientOptions(apiUrl, silentLogger()));

    const results = await Promise.all(Array.from({ length: CALLS }, (_, i) => client.chat.postMessage({ channel: 'C1', text: String(i) })));
    expect(results.map((r) => r.ts)).toEqual(Array.from({ length: CALLS }, (_, i) => `1.${i}`));
    expect(maxInFlight).toBe(ALLOWED);
    // First come, first served: the first batch is the first calls made (their sockets race).
    expect(new Set(order.slice(0, ALLOWED))).toEqual(new Set(Array.from({ length: ALLOWED }, (_, i) => String(i))));
  });
});
