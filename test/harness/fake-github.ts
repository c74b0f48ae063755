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
  /** The query string, `?` included ('' when none). */
  readonly search: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
}

export interface FakeResponse {
  readonly status?: number;
  readonly body?: unknown;
  /** Sent as is (text/plain) instead of JSON: job logs. */
  readonly text?: string;
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
    const rec: RecordedRequest = { method: req.method ?? 'GET', path, search: url.search, headers: req.headers, body };
    requests.push(rec);
    const send = (r: FakeResponse) => {
      if (r.text !== undefined) {
        res.writeHead(r.status ?? 200, { 'content-type': 'text/plain; charset=utf-8', ...r.headers });
        res.end(r.text);
        return;
      }
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

/** A failing (or passing) workflow run on the default branch, as the ci scanner sees it. */
export interface FakeWorkflowRun {
  readonly id: number;
  readonly workflowId: number;
  readonly name: string;
  readonly path?: string;
  readonly conclusion: 'success' | 'failure' | 'cancelled' | 'timed_out';
  readonly createdAt: string;
  readonly headSha?: string;
  readonly jobs?: readonly { id: number; name: string; conclusion: string; failedStep?: string; log?: string }[];
}

/**
 * GitHub Actions routes for one repository: the repository (default branch), completed runs
 * filtered by branch, each run's jobs, and job logs (302 to a download URL, like GitHub).
 */
export function routeActions(fake: FakeGitHub, repo: { owner: string; name: string; defaultBranch?: string }, runs: readonly FakeWorkflowRun[]): void {
  const branch = repo.defaultBranch ?? 'main';
  const base = `/repos/${repo.owner}/${repo.name}`;
  fake.route('GET', base, { body: { id: 1, name: repo.name, full_name: `${repo.owner}/${repo.name}`, default_branch: branch, private: false } });
  fake.route('GET', `${base}/actions/runs`, (req) => {
    const q = new URLSearchParams(req.search);
    const onBranch = q.get('branch') === branch ? runs : [];
    return {
      body: {
        total_count: onBranch.length,
        workflow_runs: onBranch.map((r) => ({
          id: r.id,
          workflow_id: r.workflowId,
          name: r.name,
          path: r.path ?? '',
          status: 'completed',
          conclusion: r.conclusion,
          head_branch: branch,
          head_sha: r.headSha ?? 'a'.repeat(40),
          html_url: `https://github.com/${repo.owner}/${repo.name}/actions/runs/${r.id}`,
          created_at: r.createdAt,
        })),
      },
    };
  });
  fake.route('GET', `${base}/actions/runs/:runId/jobs`, (_req, params) => {
    const run = runs.find((r) => String(r.id) === params.runId);
    const jobs = run?.jobs ?? [];
    return {
      body: {
        total_count: jobs.length,
        jobs: jobs.map((j) => ({
          id: j.id,
          run_id: run?.id,
          name: j.name,
          status: 'completed',
          conclusion: j.conclusion,
          html_url: `https://github.com/${repo.owner}/${repo.name}/actions/runs/${run?.id}/job/${j.id}`,
          steps: [{ name: 'Set up job', status: 'completed', conclusion: 'success', number: 1 }, ...(j.failedStep ? [{ name: j.failedStep, status: 'completed', conclusion: 'failure', number: 2 }] : [])],
        })),
      },
    };
  });
  fake.route('GET', `${base}/actions/jobs/:jobId/logs`, (_req, params) => ({ status: 302, headers: { location: `${fake.apiUrl}/_logs/${params.jobId}` } }));
  fake.route('GET', '/_logs/:jobId', (_req, params) => {
    const job = runs.flatMap((r) => r.jobs ?? []).find((j) => String(j.id) === params.jobId);
    return job?.log !== undefined ? { text: job.log } : { status: 404, body: { message: 'Not Found' } };
  });
}

export interface FakeIssue {
  readonly number: number;
  readonly title: string;
  readonly labels: readonly string[];
  readonly createdAt: string;
  readonly assignees?: readonly string[];
  readonly body?: string;
  readonly state?: 'open' | 'closed';
  /** Pull requests that reference the issue (timeline `cross-referenced` events). */
  readonly linkedPulls?: readonly { number: number; state: 'open' | 'closed'; merged?: boolean }[];
  readonly isPullRequest?: boolean;
}

/** Issue routes: the list filtered by label (GitHub ANDs comma-separated labels), one issue, its timeline. */
export function routeIssues(fake: FakeGitHub, repo: { owner: string; name: string }, issues: readonly FakeIssue[]): void {
  const base = `/repos/${repo.owner}/${repo.name}`;
  const toJson = (i: FakeIssue) => ({
    number: i.number,
    title: i.title,
    body: i.body ?? '',
    state: i.state ?? 'open',
    labels: i.labels.map((name) => ({ name })),
    assignees: (i.assignees ?? []).map((login) => ({ login })),
    user: { login: 'reporter' },
    created_at: i.createdAt,
    html_url: `https://github.com/${repo.owner}/${repo.name}/issues/${i.number}`,
    ...(i.isPullRequest ? { pull_request: { url: 'x' } } : {}),
  });
  fake.route('GET', `${base}/issues`, (req) => {
    const q = new URLSearchParams(req.search);
    const wanted = (q.get('labels') ?? '').split(',').filter(Boolean);
    const state = q.get('state') ?? 'open';
    return { body: issues.filter((i) => (i.state ?? 'open') === state && wanted.every((l) => i.labels.includes(l))).map(toJson) };
  });
  fake.route('GET', `${base}/issues/:number`, (_req, params) => {
    const issue = issues.find((i) => String(i.number) === params.number);
    return issue ? { body: toJson(issue) } : { status: 404, body: { message: 'Not Found' } };
  });
  fake.route('GET', `${base}/issues/:number/timeline`, (_req, params) => {
    const issue = issues.find((i) => String(i.number) === params.number);
    return {
      body: (issue?.linkedPulls ?? []).map((p) => ({
        event: 'cross-referenced',
        source: { type: 'issue', issue: { number: p.number, state: p.state, pull_request: { merged_at: p.merged ? '2026-01-01T00:00:00Z' : null } } },
      })),
    };
  });
}

export interface FakePull {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  draft: boolean;
  state: 'open' | 'closed';
}

/**
 * Pull request routes for one repository, backed by `pulls`: the repository (default branch),
 * list (filtered by `state` and `head=owner:branch`, like GitHub), create (422 when an open PR
 * already has that head, like GitHub) and update.
 */
export function routePulls(fake: FakeGitHub, repo: { owner: string; name: string; defaultBranch?: string }): { pulls: FakePull[] } {
  const pulls: FakePull[] = [];
  const base = `/repos/${repo.owner}/${repo.name}`;
  const toJson = (p: FakePull) => ({
    number: p.number,
    title: p.title,
    body: p.body,
    state: p.state,
    draft: p.draft,
    head: { ref: p.head, label: `${repo.owner}:${p.head}` },
    base: { ref: p.base },
    html_url: `https://github.com/${repo.owner}/${repo.name}/pull/${p.number}`,
  });
  fake.route('GET', base, { body: { id: 1, name: repo.name, full_name: `${repo.owner}/${repo.name}`, default_branch: repo.defaultBranch ?? 'main', private: true } });
  fake.route('GET', `${base}/pulls`, (req) => {
    const q = new URLSearchParams(req.search);
    const state = q.get('state') ?? 'open';
    const head = q.get('head');
    return {
      body: pulls.filter((p) => (state === 'all' || p.state === state) && (!head || `${repo.owner}:${p.head}` === head)).map(toJson),
    };
  });
  fake.route('POST', `${base}/pulls`, (req) => {
    const b = req.body as { title?: string; body?: string; head?: string; base?: string; draft?: boolean };
    if (!b.title || !b.head || !b.base) return { status: 422, body: { message: 'Validation Failed' } };
    if (pulls.some((p) => p.state === 'open' && p.head === b.head)) {
      return { status: 422, body: { message: 'Validation Failed', errors: [{ message: `A pull request already exists for ${repo.owner}:${b.head}.` }] } };
    }
    const pull: FakePull = { number: pulls.length + 1, title: b.title, body: b.body ?? '', head: b.head, base: b.base, draft: b.draft ?? false, state: 'open' };
    pulls.push(pull);
    return { status: 201, body: toJson(pull) };
  });
  fake.route('PATCH', `${base}/pulls/:number`, (req, params) => {
    const pull = pulls.find((p) => String(p.number) === params.number);
    if (!pull) return { status: 404, body: { message: 'Not Found' } };
    const b = req.body as { title?: string; body?: string };
    if (b.title !== undefined) pull.title = b.title;
    if (b.body !== undefined) pull.body = b.body;
    return { body: toJson(pull) };
  });
  return { pulls };
}
