/**
 * Serves bare repositories over git's smart HTTP protocol on 127.0.0.1 (git http-backend as a
 * CGI), so tests can see what credentials a real `git fetch` / `git push` sends: with `token`
 * set, a request without `Authorization: Basic base64(x-access-token:<token>)` gets 401.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGitHttp {
  /** `http://127.0.0.1:PORT/<name>.git` for a repository directory `<root>/<name>.git`. */
  urlOf(name: string): string;
  /** Every request: method, path, service, and whether it carried the expected credentials. */
  readonly requests: { method: string; path: string; authorized: boolean }[];
  close(): Promise<void>;
}

export async function startFakeGitHttp(root: string, opts: { token?: string } = {}): Promise<FakeGitHttp> {
  const requests: FakeGitHttp['requests'] = [];
  const expected = opts.token ? `Basic ${Buffer.from(`x-access-token:${opts.token}`).toString('base64')}` : undefined;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const authorized = expected === undefined || req.headers.authorization === expected;
    requests.push({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, authorized });
    if (!authorized) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="fake"' });
      res.end();
      return;
    }
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin',
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: root,
        REMOTE_USER: 'x-access-token', // receive-pack needs an authenticated user
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.replace(/^\?/, ''),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) } : {}),
        ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    req.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', (d: Buffer) => chunks.push(d));
    cgi.on('close', () => {
      const out = Buffer.concat(chunks);
      // CGI headers end at the first blank line (CRLF or LF).
      const crlf = out.indexOf('\r\n\r\n');
      const lf = out.indexOf('\n\n');
      const [split, gap] = crlf >= 0 && (lf < 0 || crlf < lf) ? [crlf, 4] : [lf, 2];
      const headerText = out.subarray(0, Math.max(0, split)).toString('utf8');
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of headerText.split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i < 0) continue;
        const k = line.slice(0, i).trim();
        const v = line.slice(i + 1).trim();
        if (k.toLowerCase() === 'status') status = Number(v.split(' ')[0]);
        else headers[k] = v;
      }
      res.writeHead(status, headers);
      res.end(split < 0 ? out : out.subarray(split + gap));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    urlOf: (name) => `http://127.0.0.1:${port}/${name}.git`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
