/**
 * A local stand-in for the GitHub REST API (github.com or GitHub Enterprise under /api/v3),
 * reached by the real Octokit through GITHUB_API_URL. Routes are registered per test; a request
 * nobody registered is answered 404 and recorded in `unexpected`, which tests assert is empty.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
}

export interface FakeResponse {
  readonly status?: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

type Handler = (req: RecordedRequest, params: Record<string, string>) => FakeResponse | Promise<FakeResponse>;

export interface FakeGitHub {
  /** Base URL to put in GITHUB_API_URL. */
  readonly apiUrl: string;
  readonly requests: RecordedRequest[];
  readonly unexpected: RecordedRequest[];
  /** `GET /repos/:owner/:repo` style patterns; later registrations win. */
  route(method: string, pattern: string, handler: Handler | FakeResponse): void;
  close(): Promise<void>;
}

export interface FakeGitHubOptions {
  /** When set, requests without `Authorization: token|Bearer <token>` get 401. */
  readonly token?: string;
  /** Serve under a prefix like GitHub Enterprise (`/api/v3`). */
  readonly prefix?: string;
  readonly login?: string;
}

function compile(pattern: string): { re: RegExp; names: string[] } {
  const names: string[] = [];
  const re = new RegExp(
    `^${pattern.replace(/:([A-Za-z_]+)/g, (_m, n: string) => {
      names.push(n);
      return '([^/]+)';
    })}/?$`,
  );
  return { re, names };
}

export async function startFakeGitHub(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const routes: { method: string; re: RegExp; names: string[]; handler: Handler }[] = [];
  const requests: RecordedRequest[] = [];
  const unexpected: RecordedRequest[] = [];
  const prefix = opts.prefix ?? '';

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      /* keep raw text */
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) || '/' : url.pathname;
    const rec: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body };
    requests.push(rec);
    const send = (r: FakeResponse) => {
      res.writeHead(r.status ?? 200, { 'content-type': 'application/json', ...r.headers });
      res.end(r.body === undefined ? '' : JSON.stringify(r.body));
    };
    if (opts.token) {
      const auth = req.headers.authorization ?? '';
      if (auth !== `token ${opts.token}` && auth !== `Bearer ${opts.token}`) {
        send({ status: 401, body: { message: 'Bad credentials' } });
        return;
      }
    }
    for (let i = routes.length - 1; i >= 0; i--) {
      const r = routes[i]!;
      const m = r.method === rec.method ? r.re.exec(path) : null;
      if (!m) continue;
      const params = Object.fromEntries(r.names.map((n, j) => [n, decodeURIComponent(m[j + 1]!)]));
      send(await r.handler(rec, params));
      return;
    }
    unexpected.push(rec);
    send({ status: 404, body: { message: 'Not Found (no route in fake GitHub)' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeGitHub = {
    apiUrl: `http://127.0.0.1:${port}${prefix}`,
    requests,
    unexpected,
    route(method, pattern, handler) {
      const { re, names } = compile(pattern);
      routes.push({ method: method.toUpperCase(), re, names, handler: typeof handler === 'function' ? handler : () => handler });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  fake.route('GET', '/', { body: { current_user_url: `${fake.apiUrl}/user` } });
  fake.route('GET', '/user', { body: { login: opts.login ?? 'teammate-bot', id: 1 } });
  return fake;
}
