/**
 * A local npm registry for tests, reached through TEAMMATE_NPM_REGISTRY by our registry client and
 * by the real `npm audit --registry=…`: package metadata (`GET /<name>`, scoped `/@scope%2fname`)
 * and the bulk advisory endpoint npm audit POSTs its gzipped `{name: [versions]}` to
 * (`/-/npm/v1/security/advisories/bulk`). Anything else is answered 404 and recorded in `unexpected`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

export interface FakeAdvisory {
  readonly id: number;
  readonly title: string;
  readonly severity: 'critical' | 'high' | 'moderate' | 'low' | 'info';
  /** Vulnerable versions, e.g. `<1.3.0`. */
  readonly vulnerable_versions: string;
  readonly url?: string;
}

export interface FakePackage {
  readonly versions: readonly string[];
  /** dist-tags.latest; defaults to the last version listed. */
  readonly latest?: string;
}

export interface FakeNpmRegistry {
  /** Base URL with a trailing slash, like https://registry.npmjs.org/ */
  readonly url: string;
  readonly requests: { method: string; path: string; body?: unknown }[];
  readonly unexpected: string[];
  close(): Promise<void>;
}

export async function startFakeNpmRegistry(opts: { packages: Record<string, FakePackage>; advisories?: Record<string, readonly FakeAdvisory[]> }): Promise<FakeNpmRegistry> {
  const requests: FakeNpmRegistry['requests'] = [];
  const unexpected: string[] = [];
  let base = '';
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let raw = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip' && raw.length > 0) raw = zlib.gunzipSync(raw);
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as unknown) : undefined;
    requests.push({ method: req.method ?? 'GET', path, body });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.method === 'POST' && path === '/-/npm/v1/security/advisories/bulk') {
      const asked = (body ?? {}) as Record<string, string[]>;
      const out: Record<string, unknown[]> = {};
      for (const name of Object.keys(asked)) {
        const list = opts.advisories?.[name];
        if (list?.length) out[name] = list.map((a) => ({ cwe: [], cvss: { score: 0, vectorString: null }, url: `https://github.com/advisories/GHSA-fake-${a.id}`, ...a }));
      }
      json(200, out);
      return;
    }
    const name = path.slice(1);
    const pkg = req.method === 'GET' ? opts.packages[name] : undefined;
    if (!pkg) {
      unexpected.push(`${req.method} ${path}`);
      json(404, { error: 'Not found' });
      return;
    }
    const latest = pkg.latest ?? pkg.versions[pkg.versions.length - 1]!;
    json(200, {
      name,
      'dist-tags': { latest },
      versions: Object.fromEntries(
        pkg.versions.map((v) => [v, { name, version: v, dist: { tarball: `${base}${name}/-/${name.split('/').pop()}-${v}.tgz`, integrity: 'sha512-AAAA' } }]),
      ),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url: base,
    requests,
    unexpected,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
