/**
 * dependencies: known vulnerabilities (`npm audit` where a lockfile exists) first, then one finding
 * for every patch and minor update together, then one per major upgrade. Reads package.json and
 * the lockfile at HEAD; versions come from the configured npm registry.
 */
import type { Repository } from '../../repos/repository.js';
import type { Evidence, Finding } from '../finding.js';
import { fingerprintOf } from '../fingerprint.js';
import { truncate } from '../truncate.js';
import { type Scanner, type ScanContext, ScanSkipped } from '../types.js';
import { type Advisory, runNpmAudit, SEVERITY_RANK } from './npm-audit.js';
import { type Declaration, type Dependency, type Lockfile, lockedVersion, type Manifests, readLockfile, readManifests } from './manifests.js';
import { bumpKind, type BumpKind, formatVersion, minVersionOfRange, parseVersion, type Version } from './versions.js';

const REGISTRY_CONCURRENCY = 8;

interface Outdated {
  readonly name: string;
  readonly section: string;
  readonly current: Version;
  readonly latest: Version;
  readonly kind: BumpKind;
  readonly declaredIn: readonly Declaration[];
}

export function createDependenciesScanner(): Scanner {
  return {
    name: 'dependencies',
    description: 'outdated npm dependencies (patch and minor grouped, majors one by one) and known vulnerabilities (npm audit)',
    async scan(repo, ctx) {
      const head = await ctx.git.head();
      const lock = head ? await readLockfile(ctx) : undefined;
      const manifest = head ? await readManifests(ctx, lock) : undefined;
      if (!head || !manifest) throw new ScanSkipped('no package.json at the repository root');
      if (!ctx.npmRegistry) throw new ScanSkipped('no npm registry client configured');
      const vulnerabilities = lock && ctx.commands ? await auditFindings(repo, ctx, manifest, lock, head) : [];
      const outdated = await findOutdated(ctx, manifest, lock);
      const minor = outdated.filter((o) => o.kind !== 'major');
      const major = outdated.filter((o) => o.kind === 'major');
      return [
        ...vulnerabilities,
        ...(minor.length > 0 ? [minorGroupFinding(repo, minor, head)] : []),
        ...major.map((o) => majorFinding(repo, o, head)),
      ];
    },
    async recheck(finding, _repo, ctx) {
      const lock = await readLockfile(ctx);
      const manifest = await readManifests(ctx, lock);
      if (!manifest) return false;
      if (finding.rule === 'dependencies.vulnerability') {
        if (!lock || !ctx.commands || !ctx.npmRegistry) return true; // cannot tell: keep it
        const advisories = await runNpmAudit(
          { packageJson: manifest.rootText, lockfile: lock.text, lockfileName: lock.name },
          { commands: ctx.commands, registryUrl: ctx.npmRegistry.url, signal: ctx.signal },
        );
        return advisories.some((a) => a.name === finding.meta?.package && a.id === String(finding.meta?.advisory));
      }
      const still = (name: string, target: string) => {
        const current = currentVersion(name, manifest, lock);
        const want = parseVersion(target);
        return current !== undefined && want !== undefined && bumpKind(current, want) !== undefined;
      };
      if (finding.rule === 'dependencies.major') return still(String(finding.meta?.package), String(finding.meta?.latest));
      if (finding.rule === 'dependencies.minor-group') {
        return String(finding.meta?.packages ?? '')
          .split(',')
          .filter(Boolean)
          .some((entry) => {
            const at = entry.lastIndexOf('@');
            return still(entry.slice(0, at), entry.slice(at + 1));
          });
      }
      return true;
    },
  };
}

/** What is installed (the lockfile) or, without one, the lowest version the range allows. */
function currentVersion(name: string, manifest: Manifests, lock: Lockfile | undefined): Version | undefined {
  const dep = manifest.deps.find((d) => d.name === name);
  if (!dep) return undefined;
  const fromLock = lockedVersion(lock, dep);
  return fromLock ? parseVersion(fromLock) : minVersionOfRange(dep.range);
}

async function findOutdated(ctx: ScanContext, manifest: Manifests, lock: Lockfile | undefined): Promise<Outdated[]> {
  const registry = ctx.npmRegistry!;
  const candidates = manifest.deps.filter((d: Dependency) => minVersionOfRange(d.range) !== undefined || lockedVersion(lock, d) !== undefined);
  const out: Outdated[] = [];
  let next = 0;
  const worker = async () => {
    while (next < candidates.length) {
      const dep = candidates[next++]!;
      const current = currentVersion(dep.name, manifest, lock);
      if (!current) continue;
      const info = await registry.packageInfo(dep.name, ctx.signal);
      const latestText = info?.distTags.latest;
      const latest = latestText ? parseVersion(latestText) : undefined;
      if (!latest || latest.prerelease) continue;
      const kind = bumpKind(current, latest);
      if (kind) out.push({ name: dep.name, section: dep.section, current, latest, kind, declaredIn: dep.declaredIn });
    }
  };
  await Promise.all(Array.from({ length: Math.min(REGISTRY_CONCURRENCY, candidates.length) }, worker));
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

async function auditFindings(
  repo: Repository,
  ctx: ScanContext,
  manifest: Manifests,
  lock: Lockfile,
  head: string,
): Promise<Finding[]> {
  const advisories = await runNpmAudit(
    { packageJson: manifest.rootText, lockfile: lock.text, lockfileName: lock.name },
    { commands: ctx.commands!, registryUrl: ctx.npmRegistry!.url, signal: ctx.signal },
  );
  return advisories.map((a) => vulnerabilityFinding(repo, a, lock.name, head, manifest));
}

function vulnerabilityFinding(repo: Repository, a: Advisory, lockName: string, head: string, manifest: Manifests): Finding {
  const fix =
    a.fix === true
      ? `Run \`npm audit fix\` (a compatible fixed version of ${a.name} exists)`
      : a.fix === false
        ? `No fixed version is published yet: check whether ${a.name} can be replaced or the vulnerable path avoided`
        : `Upgrade ${a.fix.name} to ${a.fix.version}${a.fix.isSemVerMajor ? ' (a major upgrade: read its changelog)' : ''}`;
  // Direct when any package.json names it: npm audit's isDirect only knows the root's edges.
  const at = manifest.deps.find((d) => d.name === a.name)?.declaredIn[0];
  const direct = a.isDirect || at !== undefined;
  const evidence: Evidence[] = [
    { url: a.url, label: `${a.name}${a.installed ? ` ${a.installed}` : ''}: ${a.title} (${a.severity})` },
    direct && at?.line
      ? { path: at.file, startLine: at.line, endLine: at.line, commit: head, label: `${a.name} is a direct dependency${at.workspace ? ` of ${at.workspace}` : ''}` }
      : { path: lockName, commit: head, label: `${a.name} is installed through another dependency` },
  ];
  return {
    scanner: 'dependencies',
    rule: 'dependencies.vulnerability',
    title: truncate(`Vulnerable ${a.name}: ${a.title}`, 150),
    summary: `npm audit reports a ${a.severity}-severity advisory for ${a.name}${a.range ? ` (vulnerable: ${a.range})` : ''} in ${repo.label}${direct ? '' : ', pulled in by another dependency'}.`,
    evidence,
    severity: a.severity,
    confidence: 0.95,
    suggestedTask: `${fix}; run the tests and commit the updated package.json and ${lockName}.`,
    fingerprint: fingerprintOf('dependencies', 'vulnerability', a.name, a.id),
    size: a.fix !== false && a.fix !== true && a.fix.isSemVerMajor ? 'm' : 's',
    meta: { package: a.name, advisory: a.id, url: a.url ?? null, severityRank: SEVERITY_RANK[a.severity], direct },
  };
}

function minorGroupFinding(repo: Repository, deps: readonly Outdated[], head: string): Finding {
  const list = deps.map((d) => `${d.name} ${formatVersion(d.current)} → ${formatVersion(d.latest)}`);
  return {
    scanner: 'dependencies',
    rule: 'dependencies.minor-group',
    title: truncate(`Update ${deps.length} npm dependenc${deps.length === 1 ? 'y' : 'ies'} (patch and minor): ${deps.map((d) => d.name).join(', ')}`, 150),
    summary: `${deps.length} dependenc${deps.length === 1 ? 'y has' : 'ies have'} newer patch or minor releases in ${repo.label}; they should be compatible by semver.`,
    evidence: deps.map((d) => ({ ...declaredAt(d, head), label: `${d.name} ${formatVersion(d.current)} → ${formatVersion(d.latest)} (${d.kind})` })),
    severity: 'low',
    confidence: 0.8,
    suggestedTask: `Update these dependencies, refresh the lockfile, and run the tests:\n${list.map((l) => `- ${l}`).join('\n')}`,
    // Keyed on each target's major.minor: a new patch release does not make a new card.
    fingerprint: fingerprintOf('dependencies', 'minor-group', ...deps.map((d) => `${d.name}@${d.latest.major}.${d.latest.minor}`)),
    size: deps.length > 10 ? 'm' : 's',
    meta: { packages: deps.map((d) => `${d.name}@${formatVersion(d.latest)}`).join(','), count: deps.length },
  };
}

function majorFinding(repo: Repository, d: Outdated, head: string): Finding {
  const from = formatVersion(d.current);
  const to = formatVersion(d.latest);
  return {
    scanner: 'dependencies',
    rule: 'dependencies.major',
    title: truncate(`Upgrade ${d.name} from ${from} to ${to} (major)`, 150),
    summary: `${d.name} ${to} is out; ${repo.label} uses ${from} (${d.section}${workspacesOf(d)}). A major release may break the API.`,
    evidence: d.declaredIn.map((at) => ({ path: at.file, startLine: at.line, endLine: at.line, commit: head, label: `${d.name} ${from} → ${to} (major)${at.workspace ? ` in ${at.workspace}` : ''}` })),
    severity: 'low',
    confidence: 0.6,
    suggestedTask: `Upgrade ${d.name} to ${to}: read its changelog for breaking changes, adapt the code that uses it, update the lockfile, and run the tests.`,
    fingerprint: fingerprintOf('dependencies', 'major', d.name, `${d.current.major}.${d.current.minor}`, `${d.latest.major}`),
    size: 'm',
    meta: { package: d.name, current: from, latest: to },
  };
}

/** Where an outdated dependency is declared first (the root, else its first workspace). */
function declaredAt(d: Outdated, head: string): Evidence {
  const at = d.declaredIn[0];
  return { path: at?.file ?? 'package.json', startLine: at?.line, endLine: at?.line, commit: head };
}

/** ", in @acme/web and @acme/api" for dependencies declared by workspaces. */
function workspacesOf(d: Outdated): string {
  const names = d.declaredIn.map((at) => at.workspace).filter((w): w is string => w !== undefined);
  return names.length > 0 ? `, in ${names.join(' and ')}` : '';
}
