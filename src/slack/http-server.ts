import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HTTPReceiver } from '@slack/bolt';
import type { Logger } from '../logging/logger.js';
import { isFreshSlackTimestamp } from './verify-timestamp.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackHttpServer {
  readonly port: number;
  close(): Promise<void>;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * Our own HTTP server in front of Bolt's receiver: `/healthz` for load balancers, a pre-check of
 * the request timestamp in both directions (Bolt checks only the past), then Bolt verifies the
 * signature and dispatches. Events, interactivity and commands share `POST /slack/events`.
 */
export async function startSlackHttpServer(o: { receiver: HTTPReceiver; port: number; host?: string; logger: Logger }): Promise<SlackHttpServer> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { ok: true });
    if (req.method === 'POST' && path === SLACK_EVENTS_PATH) {
      if (!isFreshSlackTimestamp(req.headers['x-slack-request-timestamp'], Date.now())) {
        o.logger.warn({ timestamp: req.headers['x-slack-request-timestamp'] }, 'refused a Slack request with a missing or skewed timestamp');
        req.resume();
        return sendJson(res, 401, { ok: false, error: 'invalid_timestamp' });
      }
      try {
        o.receiver.requestListener(req, res);
      } catch (err) {
        o.logger.error({ err }, 'Slack receiver failed to take a request');
        if (!res.headersSent) sendJson(res, 500, { ok: false });
      }
      return;
    }
    req.resume();
    sendJson(res, 404, { ok: false, error: 'not_found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
