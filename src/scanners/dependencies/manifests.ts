/**
 * What a repository declares, read at HEAD: the root package.json and, for an npm/yarn/pnpm-style
 * workspaces monorepo, every workspace's package.json — found through the lockfile's workspace
 * entries when there is one (what npm actually installed), else through the root's `workspaces`
 * globs. Sibling workspaces depending on each other are links, never registry packages.
 */
import picomatch from 'picomatch';
import type { ScanContext } from '../types.js';

const LOCKFILES = ['npm-shrinkwrap.json', 'package-lock.json'] as const;
const SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

/** One package.json that declares a dependency, and the 1-based line it is on. */
export interface Declaration {
  readonly file: string;
  readonly line?: number;
  /** The workspace's package name; undefined for the repository root. */
  readonly workspace?: string;
}

export interface Dependency {
  readonly name: string;
  readonly range: string;
  readonly section: string;
  /** Every package.json naming it, the root first. */
  readonly declaredIn: readonly Declaration[];
}

export interface Manifests {
  /** The root package.json's text (npm audit reads it). */
  readonly rootText: string;
  readonly deps: readonly Dependency[];
}

export interface Lockfile {
  readonly name: string;
  readonly text: string;
  /** Installed version by lockfile key (`node_modules/x`, `packages/web/node_modules/x`). */
  readonly versions: ReadonlyMap<string, string>;
  /** Workspace folders the lockfile lists (`packages/web`). */
  readonly workspaceDirs: readonly string[];
}

export async function readLockfile(ctx: Pick<ScanContext, 'git'>): Promise<Lockfile | undefined> {
  for (const name of LOCKFILES) {
    const text = await ctx.git.readFile(name);
    if (text === undefined) continue;
    let json: { packages?: Record<string, { version?: string; link?: boolean }>; dependencies?: Record<string, { version?: string }> };
    try {
      json = JSON.parse(text) as typeof json;
    } catch (err) {
      throw new Error(`${name} is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    const versions = new Map<string, string>();
    const workspaceDirs: string[] = [];
    // lockfileVersion 2/3: "node_modules/<name>" and workspace folders; version 1: "dependencies".
    for (const [key, entry] of Object.entries(json.packages ?? {})) {
      if (key === '') continue;
      if (/(^|\/)node_modules\//.test(key)) {
        if (entry.version) versions.set(key, entry.version);
      } else workspaceDirs.push(key);
    }
    for (const [dep, entry] of Object.entries(json.dependencies ?? {})) if (entry.version && !versions.has(`node_modules/${dep}`)) versions.set(`node_modules/${dep}`, entry.version);
    return { name, text, versions, workspaceDirs };
  }
  return undefined;
}

/** The version installed for `dep`: the workspace's own copy first, then the hoisted one. */
export function lockedVersion(lock: Lockfile | undefined, dep: Dependency): string | undefined {
  if (!lock) return undefined;
  for (const d of dep.declaredIn) {
    const dir = d.workspace === undefined ? '' : d.file.replace(/\/?package\.json$/, '');
    const own = dir ? lock.versions.get(`${dir}/node_modules/${dep.name}`) : undefined;
    if (own) return own;
  }
  return lock.versions.get(`node_modules/${dep.name}`);
}

export async function readManifests(ctx: Pick<ScanContext, 'git'>, lock: Lockfile | undefined): Promise<Manifests | undefined> {
  const rootText = await ctx.git.readFile('package.json');
  if (rootText === undefined) return undefined;
  const root = parse('package.json', rootText);
  const files: { file: string; text: string; json: Record<string, unknown>; workspace?: string }[] = [{ file: 'package.json', text: rootText, json: root }];
  for (const dir of await workspaceDirs(ctx, root, lock)) {
    const file = `${dir}/package.json`;
    const text = await ctx.git.readFile(file);
    if (text === undefined) continue;
    const json = parse(file, text);
    files.push({ file, text, json, workspace: typeof json.name === 'string' ? json.name : dir });
  }
  const siblings = new Set(files.map((f) => f.json.name).filter((n): n is string => typeof n === 'string'));
  const byName = new Map<string, { name: string; range: string; section: string; declaredIn: Declaration[] }>();
  for (const f of files) {
    for (const section of SECTIONS) {
      const block = f.json[section];
      if (typeof block !== 'object' || block === null) continue;
      for (const [name, range] of Object.entries(block as Record<string, unknown>)) {
        if (typeof range !== 'string' || siblings.has(name)) continue;
        const at: Declaration = { file: f.file, line: lineOf(f.text, name), ...(f.workspace ? { workspace: f.workspace } : {}) };
        const known = byName.get(name);
        if (!known) byName.set(name, { name, range, section, declaredIn: [at] });
        else if (!known.declaredIn.some((d) => d.file === f.file)) known.declaredIn.push(at);
      }
    }
  }
  return { rootText, deps: [...byName.values()] };
}

async function workspaceDirs(ctx: Pick<ScanContext, 'git'>, root: Record<string, unknown>, lock: Lockfile | undefined): Promise<string[]> {
  if (lock && lock.workspaceDirs.length > 0) return [...lock.workspaceDirs].sort();
  const w = root.workspaces;
  const globs = Array.isArray(w) ? w : typeof w === 'object' && w !== null && Array.isArray((w as { packages?: unknown }).packages) ? (w as { packages: unknown[] }).packages : [];
  const patterns = globs.filter((g): g is string => typeof g === 'string').map((g) => g.replace(/^\.\//, '').replace(/\/+$/, ''));
  if (patterns.length === 0) return [];
  const isMatch = picomatch(patterns);
  const dirs = (await ctx.git.listFiles())
    .map((f) => f.path)
    .filter((p) => p.endsWith('/package.json') && !p.includes('node_modules/'))
    .map((p) => p.slice(0, -'/package.json'.length))
    .filter((d) => isMatch(d));
  return [...new Set(dirs)].sort();
}

function parse(file: string, text: string): Record<string, unknown> {
  try {
    const json = JSON.parse(text) as unknown;
    return typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

export function lineOf(text: string, name: string): number | undefined {
  const needle = `"${name}"`;
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.trimStart().startsWith(needle) && /:\s*"/.test(l));
  return i >= 0 ? i + 1 : undefined;
}
