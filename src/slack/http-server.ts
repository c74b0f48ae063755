import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type HTTPReceiver, isValidSlackRequest } from '@slack/bolt';
import type { Logger } from '../logging/logger.js';
import { checkSlackBody } from './check-slack-body.js';
import { isFreshSlackTimestamp } from './verify-timestamp.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackHttpServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Bolt's own limit for a request body. */
const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * Our own HTTP server in front of Bolt's receiver: `/healthz` for load balancers, a pre-check of
 * the request timestamp in both directions (Bolt checks only the past), the signature and the
 * body's shape, then Bolt verifies and dispatches. Events, interactivity and commands share `POST /slack/events`.
 */
interface SlackHttpServerOptions {
  readonly receiver: HTTPReceiver;
  /** When given, signatures are checked here too, so unsigned bodies are refused before being looked at. */
  readonly signingSecret?: string;
  readonly port: number;
  readonly host?: string;
  readonly logger: Logger;
}

/**
 * Reads the body once (Bolt reuses `req.rawBody`), refuses a bad signature (401) and any body Slack
 * never sends (400: a signed `null` used to crash Bolt's receiver and the process), and only then
 * lets Bolt verify and dispatch it.
 */
async function forwardToBolt(req: http.IncomingMessage, res: http.ServerResponse, o: SlackHttpServerOptions): Promise<void> {
  const raw = await readBody(req, BODY_LIMIT_BYTES);
  if (raw === 'too_large') {
    o.logger.warn({ limitBytes: BODY_LIMIT_BYTES }, 'refused a Slack request body over the size limit');
    return sendJson(res, 413, { ok: false, error: 'body_too_large' });
  }
  const contentType = req.headers['content-type'];
  const sslCheck = contentType === 'application/x-www-form-urlencoded' && new URLSearchParams(raw.toString('utf8')).get('ssl_check') === '1';
  if (o.signingSecret && !sslCheck) {
    const signature = req.headers['x-slack-signature'];
    const signed = isValidSlackRequest({
      signingSecret: o.signingSecret,
      body: raw.toString('utf8'),
      headers: {
        'x-slack-signature': typeof signature === 'string' ? signature : '',
        'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
      },
    });
    if (!signed) {
      o.logger.warn('refused a Slack request with a bad signature');
      return sendJson(res, 401, { ok: false, error: 'invalid_signature' });
    }
  }
  const check = checkSlackBody(raw, contentType);
  if (!check.ok) {
    o.logger.warn({ error: check.error, bytes: raw.length }, 'refused a request body Slack never sends');
    return sendJson(res, 400, { ok: false, error: check.error });
  }
  if (check.rateLimited) {
    o.logger.warn('Slack says this app exceeded its event rate limit; some events were not delivered');
    return sendJson(res, 200, { ok: true });
  }
  (req as http.IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
  o.receiver.requestListener(req, res);
}

export async function startSlackHttpServer(o: SlackHttpServerOptions): Promise<SlackHttpServer> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { ok: true });
    if (req.method === 'POST' && path === SLACK_EVENTS_PATH) {
      if (!isFreshSlackTimestamp(req.headers['x-slack-request-timestamp'], Date.now())) {
        o.logger.warn({ timestamp: req.headers['x-slack-request-timestamp'] }, 'refused a Slack request with a missing or skewed timestamp');
        req.resume();
        return sendJson(res, 401, { ok: false, error: 'invalid_timestamp' });
      }
      void forwardToBolt(req, res, o).catch((err: unknown) => {
        o.logger.error({ err }, 'Slack receiver failed to take a request');
        if (!res.headersSent) sendJson(res, 500, { ok: false });
      });
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
