/**
 * The little semver the dependencies scanner needs (parse, compare, the lowest version a range
 * allows, the kind of bump), so the core carries no extra dependency.
 */
export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease: string;
}

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: m[4] ?? '' } : undefined;
}

export function compareVersions(a: Version, b: Version): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === '') return 1; // 1.0.0 > 1.0.0-rc.1
  if (b.prerelease === '') return -1;
  return a.prerelease.localeCompare(b.prerelease, 'en', { numeric: true });
}

/**
 * The lowest version a plain range allows: `^1.2.3`, `~1.2`, `>=1.2.3`, `1.2.x`, `1.2.3`.
 * Undefined for what is not a registry range (`workspace:`, git URLs, tags, `*`, `a || b`).
 */
export function minVersionOfRange(range: string): Version | undefined {
  const r = range.trim();
  if (r.includes('||') || r.includes(' - ')) return undefined;
  const first = r.split(/\s+/)[0] ?? '';
  const m = /^(?:\^|~|>=|=)?v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?(-[0-9A-Za-z.-]+)?$/.exec(first);
  if (!m) return undefined;
  const num = (s: string | undefined) => (s === undefined || s === 'x' || s === '*' ? 0 : Number(s));
  return { major: num(m[1]), minor: num(m[2]), patch: num(m[3]), prerelease: m[4]?.slice(1) ?? '' };
}

export type BumpKind = 'major' | 'minor' | 'patch';

/** How `latest` differs from `current`, or undefined when it is not newer. */
export function bumpKind(current: Version, latest: Version): BumpKind | undefined {
  if (compareVersions(latest, current) <= 0) return undefined;
  if (latest.major !== current.major) return 'major';
  // Below 1.0.0 a minor bump is the breaking one (what `^0.2.0` refuses to cross).
  if (latest.minor !== current.minor) return current.major === 0 ? 'major' : 'minor';
  return 'patch';
}

export function formatVersion(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}`;
}
