import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createNpmRegistryClient } from '../../src/npm/registry-client.js';
import { createCommandRunner } from '../../src/repos/run-command.js';
import { createDependenciesScanner } from '../../src/scanners/dependencies/dependencies-scanner.js';
import { recheckFinding, runScan } from '../../src/scanners/run-scan.js';
import { type FakeNpmRegistry, startFakeNpmRegistry } from '../harness/fake-npm-registry.js';
import { gitIn, makeGitRepo, makeTempDir } from '../harness/temp-repo.js';
import { ADVISORIES, dependencyFixture, REGISTRY_PACKAGES, workspaceFixture } from './dependency-fixture.js';
import { localRepo, scanDeps } from './scan-helpers.js';

describe('dependencies scanner', () => {
  let registry: FakeNpmRegistry;
  let tmp: ReturnType<typeof makeTempDir>;
  let npmCache: ReturnType<typeof makeTempDir>;
  beforeAll(async () => {
    registry = await startFakeNpmRegistry({ packages: REGISTRY_PACKAGES, advisories: ADVISORIES });
    npmCache = makeTempDir('teammate-npm-cache-');
  });
  afterAll(async () => {
    await registry.close();
    npmCache.cleanup();
  });
  beforeEach(() => {
    tmp = makeTempDir('teammate-deps-');
  });
  afterEach(() => tmp.cleanup());

  const deps = () =>
    scanDeps([createDependenciesScanner()], {
      npmRegistry: createNpmRegistryClient({ url: registry.url, timeoutMs: 5000 }),
      // The real npm binary, its cache kept out of the developer's home.
      commands: createCommandRunner({ ...process.env, npm_config_cache: npmCache.dir }),
    }).deps;

  it('reports vulnerabilities first (npm audit against the configured registry), then patch and minor bumps as one finding, then each major', async () => {
    makeGitRepo(tmp.dir, dependencyFixture());
    const report = await runScan(localRepo(tmp.dir), deps());
    expect(report.outcomes).toMatchObject([{ scanner: 'dependencies', status: 'ok' }]);
    expect(report.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['dependencies.vulnerability', 'high'],
      ['dependencies.minor-group', 'low'],
      ['dependencies.major', 'low'],
    ]);
    const [vuln, group, major] = report.findings;
    expect(vuln!.title).toBe('Vulnerable left-pad: Prototype pollution in left-pad');
    expect(vuln!.evidence[0]).toMatchObject({ url: 'https://github.com/advisories/GHSA-fake-1001' });
    expect(vuln!.evidence[1]).toMatchObject({ path: 'package.json', commit: report.commit, startLine: 5 });
    expect(group!.evidence.map((e) => e.label)).toEqual(['left-pad 1.1.0 → 1.3.0 (minor)', 'lodash 4.17.20 → 4.17.21 (patch)']);
    expect(major!.title).toBe('Upgrade express from 4.18.2 to 5.1.0 (major)');
    // npm audit posted the lockfile's versions to the advisory endpoint of our registry.
    const bulk = registry.requests.find((r) => r.path === '/-/npm/v1/security/advisories/bulk');
    expect(bulk?.body).toMatchObject({ 'left-pad': ['1.1.0'], lodash: ['4.17.20'], express: ['4.18.2'] });
    // Scoped names are asked for escaped; file: dependencies are never looked up.
    expect(registry.requests.some((r) => r.path === '/@scope/tool')).toBe(true);
    expect(registry.unexpected).toEqual([]);
  });

  it('fingerprints are stable across scans; recheck says the group and the advisory are gone once HEAD has the updates', async () => {
    makeGitRepo(tmp.dir, dependencyFixture());
    const d = deps();
    const repo = localRepo(tmp.dir);
    const first = await runScan(repo, d);
    const again = await runScan(repo, d);
    expect(again.findings.map((f) => f.fingerprint)).toEqual(first.findings.map((f) => f.fingerprint));
    const group = first.findings.find((f) => f.rule === 'dependencies.minor-group')!;
    const major = first.findings.find((f) => f.rule === 'dependencies.major')!;
    expect(await recheckFinding(group, repo, d)).toBe(true);

    for (const [rel, text] of Object.entries(dependencyFixture({ leftPad: '1.3.0', lodash: '4.17.21' }))) fs.writeFileSync(path.join(tmp.dir, rel), text);
    gitIn(tmp.dir, 'commit', '-qam', 'update deps');
    expect(await recheckFinding(group, repo, d)).toBe(false);
    expect(await recheckFinding(major, repo, d)).toBe(true);
    const vuln = first.findings.find((f) => f.rule === 'dependencies.vulnerability')!;
    expect(await recheckFinding(vuln, repo, d)).toBe(false);
  });

  it('reads every npm workspace: vulnerabilities and upgrades point at the package.json that declares them, siblings are never looked up', async () => {
    makeGitRepo(tmp.dir, workspaceFixture());
    const before = registry.requests.length;
    const report = await runScan(localRepo(tmp.dir), deps());
    expect(report.outcomes).toMatchObject([{ scanner: 'dependencies', status: 'ok' }]);
    expect(report.findings.map((f) => f.rule)).toEqual(['dependencies.vulnerability', 'dependencies.minor-group', 'dependencies.major']);
    const [vuln, group, major] = report.findings;
    expect(vuln!.title).toBe('Vulnerable left-pad: Prototype pollution in left-pad');
    expect(vuln!.evidence[1]).toMatchObject({ path: 'packages/web/package.json', startLine: 5, label: 'left-pad is a direct dependency of @acme/web' });
    expect(group!.evidence).toMatchObject([{ path: 'packages/web/package.json', startLine: 5, label: 'left-pad 1.1.0 → 1.3.0 (minor)' }]);
    expect(major!.title).toBe('Upgrade express from 4.18.2 to 5.1.0 (major)');
    expect(major!.evidence).toMatchObject([{ path: 'packages/core/package.json', startLine: 5 }]);
    expect(major!.summary).toContain('@acme/core');
    const asked = registry.requests.slice(before).map((r) => r.path);
    expect(asked.some((p) => p.includes('acme'))).toBe(false);
    expect(registry.unexpected).toEqual([]);
    // Once the workspace takes the fixed left-pad, the advisory and the group are gone on recheck.
    const fixed = workspaceFixture();
    fs.writeFileSync(path.join(tmp.dir, 'package-lock.json'), fixed['package-lock.json']!.replace('left-pad-1.1.0.tgz', 'left-pad-1.3.0.tgz').replace(/("node_modules\/left-pad": \{\s*"version": )"1\.1\.0"/, '$1"1.3.0"'));
    gitIn(tmp.dir, 'commit', '-qam', 'left-pad 1.3.0');
    expect(await recheckFinding(vuln!, localRepo(tmp.dir), deps())).toBe(false);
    expect(await recheckFinding(group!, localRepo(tmp.dir), deps())).toBe(false);
    expect(await recheckFinding(major!, localRepo(tmp.dir), deps())).toBe(true);
  });

  it('without a lockfile, finds the workspaces through the globs of the root package.json (the yarn { packages } form too)', async () => {
    makeGitRepo(tmp.dir, {
      'package.json': `${JSON.stringify({ name: 'site-root', private: true, workspaces: { packages: ['./apps/*'] } }, null, 2)}\n`,
      'apps/site/package.json': `${JSON.stringify({ name: 'site', dependencies: { express: '^4.18.0' } }, null, 2)}\n`,
      'tools/package.json': `${JSON.stringify({ name: 'tools', dependencies: { lodash: '^4.17.20' } }, null, 2)}\n`,
    });
    const report = await runScan(localRepo(tmp.dir), deps());
    expect(report.findings.map((f) => f.title)).toEqual(['Upgrade express from 4.18.0 to 5.1.0 (major)']);
    expect(report.findings[0]!.evidence).toMatchObject([{ path: 'apps/site/package.json', startLine: 4, label: 'express 4.18.0 → 5.1.0 (major) in site' }]);
  });

  it('is skipped, with the reason, in a repository without package.json', async () => {
    makeGitRepo(tmp.dir, { 'main.go': 'package main\n' });
    const report = await runScan(localRepo(tmp.dir), deps());
    expect(report.outcomes).toMatchObject([{ scanner: 'dependencies', status: 'skipped', reason: 'no package.json at the repository root' }]);
  });

  it('fails visibly (and counts towards a pause) when the registry is down', async () => {
    makeGitRepo(tmp.dir, { 'package.json': JSON.stringify({ dependencies: { lodash: '^4.17.20' } }) });
    const d = scanDeps([createDependenciesScanner()], { npmRegistry: createNpmRegistryClient({ url: 'http://127.0.0.1:9/', timeoutMs: 2000 }) }).deps;
    const report = await runScan(localRepo(tmp.dir), d);
    expect(report.outcomes[0]).toMatchObject({ scanner: 'dependencies', status: 'failed' });
    expect(report.outcomes[0]?.reason).toMatch(/cannot reach the npm registry http:\/\/127\.0\.0\.1:9/);
  });
});
