/**
 * The CLI contract through the built binary, as users and the benchmark scorer run it.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../harness/cli.js';
import { startFakeSlack } from '../harness/fake-slack.js';
import { freePort } from '../harness/ports.js';
import { makeTempDir } from '../harness/temp-repo.js';

const temp = makeTempDir('teammate-cli-');
afterAll(() => temp.cleanup());
const env = () => ({ TEAMMATE_DATA_DIR: temp.dir, TEAMMATE_DB: path.join(temp.dir, 'cli.db') });

describe('teammate CLI', () => {
  it('documents every command with --help', async () => {
    for (const cmd of ['start', 'console', 'index', 'search', 'ask', 'migrate', 'doctor']) {
      const r = await runCli([cmd, '--help'], { env: env(), cwd: temp.dir });
      expect(r.code, cmd).toBe(0);
      expect(r.stdout, cmd).toContain(`Usage: teammate ${cmd}`);
    }
  });

  it('console: answers a piped question about this repository with a citation to the real file', async () => {
    const r = await runCli(['console', '--repo', PROJECT_ROOT], { env: env(), cwd: temp.dir, input: 'where is the configuration loaded?\n', timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/src\/config\/load-config\.ts:\d+/);
    expect(r.stdout).toContain('OPENAI_API_KEY'); // the extractive note says why there is no written answer
  });

  it('start without Slack tokens runs the console on the current folder', async () => {
    const r = await runCli(['start'], { env: env(), cwd: PROJECT_ROOT, input: 'where is the migration runner?\n', timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('starting the terminal console');
    expect(r.stdout).toMatch(/src\/storage\/migrate\.ts:\d+/);
  });

  it('search --json returns the right files first for questions about this repository', async () => {
    const cases: [string, string][] = [
      ['verify slack request signature timestamp', 'src/slack/'],
      ['apply pending database migrations in a transaction', 'src/storage/migrate.ts'],
      // The logger's scrubber delegates to the secret rules, which live in src/security/.
      ['redact tokens from log lines', 'src/security/'],
      ['parse owner/name repository spec', 'src/config/load-config.ts'],
    ];
    for (const [query, expected] of cases) {
      const r = await runCli(['search', '--repo', PROJECT_ROOT, '--json', '--limit', '5', query], { env: env(), cwd: temp.dir, timeoutMs: 120_000 });
      expect(r.code, r.stderr).toBe(0);
      const hits = JSON.parse(r.stdout) as { path: string; startLine: number; endLine: number; score: number; snippet: string }[];
      expect(hits.length, query).toBeGreaterThan(0);
      expect(hits.slice(0, 5).some((h) => h.path.startsWith(expected)), `${query} → ${hits.map((h) => h.path).join(', ')}`).toBe(true);
      for (const h of hits) {
        expect(path.isAbsolute(h.path)).toBe(false);
        expect(h.startLine).toBeGreaterThanOrEqual(1);
        expect(h.endLine).toBeGreaterThanOrEqual(h.startLine);
        expect(typeof h.score).toBe('number');
        expect(typeof h.snippet).toBe('string');
      }
    }
  });

  it('doctor names each problem of a broken config and exits non-zero', async () => {
    const r = await runCli(['doctor'], {
      env: { ...env(), PORT: 'abc', LOG_LEVEL: 'noisy', SLACK_BOT_TOKEN: 'xoxp-wrong', SLACK_API_URL: 'http://127.0.0.1:1/api/', OPENAI_BASE_URL: 'http://127.0.0.1:1/v1', GITHUB_API_URL: 'http://127.0.0.1:1' },
      cwd: temp.dir,
    });
    expect(r.code).toBe(1);
    for (const key of ['PORT', 'LOG_LEVEL', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']) expect(r.stdout).toContain(`FAIL  config ${key}`);
    expect(r.stdout).toMatch(/fix: /);
  });

  it('refuses to start with an invalid config, listing every problem', async () => {
    const r = await runCli(['start'], { env: { ...env(), PORT: '99999', OPENAI_BASE_URL: 'ftp://x' }, cwd: temp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PORT: expected at most 65535');
    expect(r.stderr).toContain('OPENAI_BASE_URL');
  });

  it('migrate reports the schema version', async () => {
    const r = await runCli(['migrate'], { env: env(), cwd: temp.dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/schema version \d+/);
  });
});

describe('teammate CLI on a first try', () => {
  const quiet = () => ({ ...env(), OPENAI_BASE_URL: 'http://127.0.0.1:1/v1', GITHUB_API_URL: 'http://127.0.0.1:1', SLACK_API_URL: 'http://127.0.0.1:1/api/' });

  it('doctor with no configuration passes: what is not configured is skipped, not failed', async () => {
    const r = await runCli(['doctor', '--repo', PROJECT_ROOT], { env: quiet(), cwd: temp.dir });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/SKIP\s+slack\s+skipped: no SLACK_BOT_TOKEN/);
  });

  it('doctor --json prints the same checks as data', async () => {
    const r = await runCli(['doctor', '--json', '--repo', PROJECT_ROOT], { env: quiet(), cwd: temp.dir });
    const report = JSON.parse(r.stdout) as { results: { name: string; status: string }[]; failed: number };
    expect(report.failed).toBe(0);
    expect(report.results.map((c) => c.name)).toEqual(expect.arrayContaining(['config', 'database', 'slack', 'llm', 'github']));
  });

  it('a missing repository is one clean message and a non-zero exit, in the console as with --repo', async () => {
    const missing = path.join(temp.dir, 'no-such-repo');
    for (const args of [['console'], ['start'], ['search', 'x'], ['console', '--repo', missing]]) {
      const r = await runCli(args, { env: { ...env(), TEAMMATE_REPOS: missing }, cwd: temp.dir, input: 'where?\n' });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(`repository path ${missing} does not exist`);
      expect(r.stderr, args.join(' ')).not.toMatch(/ENOENT|realpath|\n\s+at /);
    }
  });

  it('a repository path that is a file is "not a directory"', async () => {
    const file = path.join(temp.dir, 'a-file.txt');
    fs.writeFileSync(file, 'x');
    const r = await runCli(['search', '--repo', file, 'x'], { env: env(), cwd: temp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not a directory');
    expect(r.stderr).not.toContain('EACCES');
  });

  it('an unknown command says so and lists the commands', async () => {
    const r = await runCli(['bogus'], { env: env(), cwd: temp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'bogus'");
    for (const cmd of ['start', 'console', 'search', 'ask', 'doctor']) expect(r.stderr).toContain(cmd);
    expect(r.stderr).not.toContain('too many arguments');
    // Options before the command still work.
    const ok = await runCli(['--log-level', 'warn', 'migrate'], { env: env(), cwd: temp.dir });
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('a Slack start that cannot connect prints one line with the reason and the fix, no stack trace', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const r = await runCli(['start'], {
      env: { ...env(), SLACK_BOT_TOKEN: 'xoxb-x', SLACK_APP_TOKEN: 'xapp-x', SLACK_API_URL: `http://127.0.0.1:${port}/api/`, LOG_LEVEL: 'silent' },
      cwd: temp.dir,
      timeoutMs: 50_000,
    });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^teammate: cannot connect to Slack at http:\/\/127\.0\.0\.1:\d+\/api\/: connection refused\. Fix: .*SLACK_API_URL/);
    expect(r.stderr).not.toMatch(/refused Teammate's bot token|\bat file:/);
  });

  it('an HTTP port already in use is named as such, not as a Slack connection problem', { timeout: 60_000 }, async () => {
    const slack = await startFakeSlack();
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, r));
    try {
      const port = (busy.address() as net.AddressInfo).port;
      const r = await runCli(['start'], {
        env: { ...env(), SLACK_BOT_TOKEN: 'xoxb-x', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: slack.apiUrl, PORT: String(port), LOG_LEVEL: 'silent', TEAMMATE_REPOS: PROJECT_ROOT },
        cwd: temp.dir,
      });
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(`teammate: port ${port} is already in use, so the Slack HTTP receiver cannot listen. Fix: set PORT to a free port, or stop the process using it.`);
    } finally {
      busy.close();
      await slack.close();
    }
  });
});
