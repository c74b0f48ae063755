/**
 * A local stand-in for the Slack Web API (and response_url hooks), reused by every Slack test:
 * the real `@slack/web-api` client talks to it over HTTP, it records every call, and it fails on
 * nothing silently — unknown methods answer `unknown_method` and are listed in `unexpected` so a
 * test can assert that the code under test called only what it meant to.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSlackCall {
  readonly method: string;
  /** Parsed from JSON or form encoding; form values holding JSON (blocks, view) are parsed too. */
  readonly body: Record<string, unknown>;
  readonly at: number;
  /** What the fake answered (HTTP status and JSON body), filled in when it answers. */
  response?: { status: number; body: Record<string, unknown> };
}

export interface FakeFailure {
  readonly status?: number;
  /** Seconds, sent as Retry-After (with status 429). */
  readonly retryAfter?: number;
  /** Slack error code returned with HTTP 200 `{ok:false}` (when status is absent or 200). */
  readonly error?: string;
  /** Extra fields in the error body, e.g. `{ needed: 'channels:history' }` for missing_scope. */
  readonly data?: Record<string, unknown>;
}

export interface ThreadMessage {
  readonly ts: string;
  readonly text: string;
  readonly user?: string;
  readonly bot_id?: string;
  readonly subtype?: string;
}

export interface FakeSlack {
  /** `http://127.0.0.1:PORT/api/`: give it to the app as SLACK_API_URL. */
  readonly apiUrl: string;
  readonly calls: FakeSlackCall[];
  /** Calls to methods the fake does not implement. */
  readonly unexpected: FakeSlackCall[];
  readonly botUserId: string;
  readonly botId: string;
  callsTo(method: string): FakeSlackCall[];
  /** The next call to `method` fails as described (queue several by calling again). */
  failNext(method: string, failure: FakeFailure): void;
  setThread(channel: string, threadTs: string, messages: readonly ThreadMessage[]): void;
  /** What apps.connections.open returns (a fake Socket Mode server's ws:// URL). */
  setSocketModeUrl(url: string): void;
  /** Channels where posting answers `not_in_channel`. */
  setNotInChannel(channel: string): void;
  /** A response_url served by this fake; calls to it are recorded as method `response_url`. */
  responseUrl(id: string): string;
  waitFor(method: string, predicate?: (call: FakeSlackCall) => boolean, timeoutMs?: number): Promise<FakeSlackCall>;
  close(): Promise<void>;
}

const IMPLEMENTED = new Set([
  'auth.test',
  'chat.postMessage',
  'chat.update',
  'chat.delete',
  'chat.postEphemeral',
  'reactions.add',
  'reactions.remove',
  'conversations.replies',
  'views.publish',
  'views.open',
  'users.info',
  'apps.connections.open',
]);

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    const looksJson = (v.startsWith('[') && v.endsWith(']')) || (v.startsWith('{') && v.endsWith('}'));
    if (looksJson) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // not JSON after all: keep the string
      }
    }
    out[k] = v;
  }
  return out;
}

export async function startFakeSlack(opts: { botUserId?: string; botId?: string } = {}): Promise<FakeSlack> {
  const botUserId = opts.botUserId ?? 'UBOT';
  const botId = opts.botId ?? 'BBOT';
  const calls: FakeSlackCall[] = [];
  const unexpected: FakeSlackCall[] = [];
  const failures = new Map<string, FakeFailure[]>();
  const threads = new Map<string, ThreadMessage[]>();
  const notInChannel = new Set<string>();
  let socketModeUrl: string | undefined;
  const waiters: Array<() => void> = [];
  let tsCounter = 0;
  const nextTs = () => {
    tsCounter += 1;
    return `1700000${String(tsCounter).padStart(3, '0')}.000100`;
  };

  function respond(method: string, body: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.test/', team: 'Fake', user: 'teammate', team_id: 'T1', user_id: botUserId, bot_id: botId };
      case 'chat.postMessage': {
        if (notInChannel.has(String(body.channel))) return { ok: false, error: 'not_in_channel' };
        const ts = nextTs();
        return { ok: true, channel: body.channel, ts, message: { text: body.text, ts, bot_id: botId, user: botUserId } };
      }
      case 'chat.update':
        return { ok: true, channel: body.channel, ts: body.ts, text: body.text };
      case 'chat.delete':
        return { ok: true, channel: body.channel, ts: body.ts };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'reactions.add':
      case 'reactions.remove':
      case 'views.publish':
        return { ok: true };
      case 'views.open':
        return { ok: true, view: { id: `V${nextTs()}`, ...(body.view as Record<string, unknown> | undefined) } };
      case 'users.info':
        return { ok: true, user: { id: body.user, name: `name-${body.user}`, real_name: `Real ${body.user}` } };
      case 'conversations.replies': {
        const messages = threads.get(`${body.channel}:${body.ts}`) ?? [];
        return { ok: true, messages, has_more: false, response_metadata: { next_cursor: '' } };
      }
      case 'apps.connections.open':
        return socketModeUrl ? { ok: true, url: socketModeUrl } : { ok: false, error: 'not_allowed_token_type' };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const isResponseUrl = url.pathname.startsWith('/respond/');
      const method = isResponseUrl ? 'response_url' : url.pathname.replace(/^\/api\//, '');
      let body: Record<string, unknown>;
      try {
        body = parseBody(raw, req.headers['content-type']);
      } catch {
        body = { raw };
      }
      if (isResponseUrl) body = { ...body, id: url.pathname.slice('/respond/'.length) };
      const call: FakeSlackCall = { method, body, at: Date.now() };
      calls.push(call);
      if (!isResponseUrl && !IMPLEMENTED.has(method)) unexpected.push(call);
      for (const wake of waiters.splice(0)) wake();

      const failure = failures.get(method)?.shift();
      if (failure && failure.status !== undefined && failure.status !== 200) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
        const failed = { ok: false, error: failure.error ?? 'fake_failure' };
        call.response = { status: failure.status, body: failed };
        res.writeHead(failure.status, headers);
        res.end(JSON.stringify(failed));
        return;
      }
      const payload = failure?.error ? { ok: false, error: failure.error, ...failure.data } : isResponseUrl ? { ok: true } : respond(method, body);
      call.response = { status: 200, body: payload };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const callsTo = (method: string) => calls.filter((c) => c.method === method);

  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    calls,
    unexpected,
    botUserId,
    botId,
    callsTo,
    failNext(method, failure) {
      const list = failures.get(method) ?? [];
      list.push(failure);
      failures.set(method, list);
    },
    setThread(channel, threadTs, messages) {
      threads.set(`${channel}:${threadTs}`, [...messages]);
    },
    setSocketModeUrl(url) {
      socketModeUrl = url;
    },
    setNotInChannel(channel) {
      notInChannel.add(channel);
    },
    responseUrl(id) {
      return `http://127.0.0.1:${port}/respond/${id}`;
    },
    waitFor(method, predicate = () => true, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        let settled = false;
        const check = (): boolean => {
          const found = callsTo(method).find(predicate);
          if (found) {
            settled = true;
            clearTimeout(timer);
            resolve(found);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          settled = true;
          reject(new Error(`fake Slack: no matching ${method} call within ${timeoutMs} ms; calls: ${calls.map((c) => c.method).join(', ')}`));
        }, timeoutMs);
        const arm = () => {
          if (!settled && !check()) waiters.push(arm);
        };
        arm();
      });
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
