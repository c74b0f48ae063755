/**
 * The whole scan graph as `teammate scan` and the bot build it (config → adapters → runScan):
 * a fixture repository with planted TODO/FIXME/HACK/XXX comments, an outdated and a vulnerable
 * dependency, and a failing CI run on fake GitHub yields findings of each kind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScanDeps } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/logging/logger.js';
import { runScan } from '../../src/scanners/run-scan.js';
import { openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { runCli } from '../harness/cli.js';
import { type FakeGitHub, startFakeGitHub } from '../harness/fake-github.js';
import { PLANTED_MARKERS, routeFailingCi } from '../harness/planted-repository.js';
import { type FakeNpmRegistry, startFakeNpmRegistry } from '../harness/fake-npm-registry.js';
import { makeGitRepo, makeTempDir } from '../harness/temp-repo.js';
import { ADVISORIES, dependencyFixture, REGISTRY_PACKAGES } from './dependency-fixture.js';
import { localRepo } from './scan-helpers.js';
import type { Finding } from '../../src/scanners/finding.js';

const TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
const FILES = {
  ...dependencyFixture(),
  ...PLANTED_MARKERS,
};

describe('scan acceptance', () => {
  let gh: FakeGitHub;
  let registry: FakeNpmRegistry;
  let tmp: ReturnType<typeof makeTempDir>;
  let repoDir: string;
  beforeAll(async () => {
    gh = await startFakeGitHub({ token: TOKEN });
    registry = await startFakeNpmRegistry({ packages: REGISTRY_PACKAGES, advisories: ADVISORIES });
    tmp = makeTempDir('teammate-scan-e2e-');
    repoDir = path.join(tmp.dir, 'repo');
    makeGitRepo(repoDir, FILES);
    routeFailingCi(gh, { owner: 'acme', name: 'widgets' });
  });
  afterAll(async () => {
    await gh.close();
    await registry.close();
    tmp.cleanup();
  });

  it('finds each planted TODO/FIXME/HACK/XXX, the dependency problems and the failing workflow', async () => {
    const config = loadConfig(
      { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.apiUrl, TEAMMATE_NPM_REGISTRY: registry.url, TEAMMATE_REPOS: repoDir, TEAMMATE_DB: ':memory:' },
      { cwd: tmp.dir, homeDir: tmp.dir },
    );
    const db = openDatabase(':memory:');
    migrate(db);
    const deps = await buildScanDeps({ config, logger: createLogger({ level: 'silent' }), db });
    // A GitHub repository whose clone is the fixture.
    const report = await runScan(localRepo(repoDir, { owner: 'acme', name: 'widgets' }), deps);
    db.close();

    expect(report.outcomes.map((o) => [o.scanner, o.status])).toEqual([
      ['ci', 'ok'],
      ['dependencies', 'ok'],
      ['review', 'skipped'],
      ['issues', 'ok'],
      ['todo', 'ok'],
    ]);
    const rules = report.findings.map((f) => f.rule);
    expect(rules).toEqual([
      'ci.failing-workflow',
      'dependencies.vulnerability',
      'dependencies.minor-group',
      'dependencies.major',
      'todo.fixme',
      'todo.xxx',
      'todo.hack',
      'todo.todo',
    ]);
    for (const f of report.findings) assertWellFormed(f);
    expect(new Set(report.findings.map((f) => f.fingerprint)).size).toBe(report.findings.length);
    expect(gh.unexpected).toEqual([]);
    expect(registry.unexpected).toEqual([]);
  });

  it('teammate scan --json prints the Finding array; the text output groups by scanner and says what was skipped', async () => {
    const env = { TEAMMATE_DATA_DIR: tmp.dir, TEAMMATE_DB: path.join(tmp.dir, 'cli.db'), TEAMMATE_NPM_REGISTRY: registry.url, npm_config_cache: path.join(tmp.dir, 'npm-cache') };
    const json = await runCli(['scan', '--repo', repoDir, '--json'], { env, cwd: tmp.dir, timeoutMs: 120_000 });
    expect(json.code, json.stderr).toBe(0);
    const findings = JSON.parse(json.stdout) as Finding[];
    expect(findings.map((f) => f.scanner)).toEqual(['dependencies', 'dependencies', 'dependencies', 'todo', 'todo', 'todo', 'todo']);
    expect(json.stderr).toContain('ci: skipped — not a GitHub repository');
    expect(json.stderr).toContain('review: skipped — no model configured (set OPENAI_API_KEY)');

    const text = await runCli(['scan', '--repo', repoDir], { env, cwd: tmp.dir, timeoutMs: 120_000 });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/: 7 findings\n/);
    expect(text.stdout).toContain('== todo (4)');
    expect(text.stdout).toMatch(/== dependencies \(3\)\n- \[high\] Vulnerable left-pad/);
    expect(text.stdout).toContain('- [medium] FIXME in src/parse.py: dates without a timezone are read as UTC');

    const help = await runCli(['scan', '--help'], { env, cwd: tmp.dir });
    expect(help.stdout).toContain('Usage: teammate scan');
    expect(help.stdout).toContain('--resume <scanner>');

    const bad = await runCli(['scan', '--repo', repoDir, '--only', 'todos'], { env, cwd: tmp.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown scanner todos');
  });

  it('teammate scan stops with the problems of a bad .teammate.yml', async () => {
    const dir = path.join(tmp.dir, 'bad-settings');
    makeGitRepo(dir, { 'a.ts': '// TODO: x y z\n' });
    fs.writeFileSync(path.join(dir, '.teammate.yml'), 'thresholds:\n  issueAgeDays: soon\n');
    const r = await runCli(['scan', '--repo', dir], { env: { TEAMMATE_DATA_DIR: tmp.dir, TEAMMATE_DB: path.join(tmp.dir, 'cli2.db') }, cwd: tmp.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.teammate\.yml is invalid:\n {2}- thresholds\.issueAgeDays: /);
  });
});

function assertWellFormed(f: Finding): void {
  expect(f.title.length, f.title).toBeLessThanOrEqual(150);
  expect(f.confidence).toBeGreaterThan(0);
  expect(f.confidence).toBeLessThanOrEqual(1);
  expect(f.evidence.length).toBeGreaterThan(0);
  expect(f.suggestedTask.length).toBeGreaterThan(20);
  expect(f.fingerprint).toMatch(new RegExp(`^${f.scanner}:[0-9a-f]{24}$`));
}
