import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../storage/database.js';

/** Folder names that hold copies of other projects in every ecosystem we index. */
const VENDOR_DIRS = new Set(['node_modules', 'bower_components', 'vendor', 'vendored', '_vendor', 'third_party', 'third-party', 'thirdparty', 'extern', 'externals']);

/**
 * Whether a path is a vendored copy of another project, judged by what it is rather than by a
 * folder name that first-party code also uses (a monorepo's `packages/ui` is first-party):
 * a vendor folder, a git submodule (`.gitmodules`), or a folder a package manifest at the root
 * names as a dependency (`"dep": "file:vendor/dep"` in package.json, `replace x => ./dir` in
 * go.mod, `path = "dir"` dependencies in Cargo.toml or pyproject.toml), or a Python package nested
 * in another package that declares its own `__version__` (a distribution copied in, like
 * `requests/packages/urllib3`).
 */
export function vendoredDetector(db: Db, repoId: string, root: string): (relPath: string) => boolean {
  const dirs = [...manifestDependencyDirs(root), ...nestedDistributions(db, repoId)];
  return (relPath) => {
    const segments = relPath.split('/');
    if (segments.slice(0, -1).some((s) => VENDOR_DIRS.has(s))) return true;
    return dirs.some((d) => relPath.startsWith(`${d}/`));
  };
}

const cache = new Map<string, { key: string; dirs: string[] }>();
const MANIFESTS = ['.gitmodules', 'package.json', 'go.mod', 'Cargo.toml', 'pyproject.toml'];

/** Folders (relative, '/'-separated) that root manifests name as dependencies; cached until a manifest changes. */
export function manifestDependencyDirs(root: string): string[] {
  const stats = MANIFESTS.map((m) => {
    try {
      const st = fs.statSync(path.join(root, m));
      return `${m}:${st.mtimeMs}:${st.size}`;
    } catch {
      return '';
    }
  });
  const key = stats.join('|');
  const hit = cache.get(root);
  if (hit && hit.key === key) return hit.dirs;
  const found = new Set<string>();
  const read = (name: string) => {
    try {
      return fs.readFileSync(path.join(root, name), 'utf8');
    } catch {
      return '';
    }
  };
  for (const m of read('.gitmodules').matchAll(/^\s*path\s*=\s*(.+?)\s*$/gm)) found.add(m[1] as string);
  const pkg = read('package.json');
  if (pkg) {
    try {
      const json = JSON.parse(pkg) as Record<string, unknown>;
      for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
        const deps = json[field];
        if (!deps || typeof deps !== 'object') continue;
        for (const v of Object.values(deps as Record<string, unknown>)) {
          const m = typeof v === 'string' ? /^(?:file|link):(.+)$/.exec(v) : null;
          if (m) found.add(m[1] as string);
        }
      }
    } catch {
      // a broken package.json names nothing
    }
  }
  for (const m of read('go.mod').matchAll(/=>\s*(\.{1,2}\/\S+)/g)) found.add(m[1] as string);
  for (const name of ['Cargo.toml', 'pyproject.toml']) for (const d of tomlPathDependencies(read(name))) found.add(d);
  const dirs = [...found]
    .map((d) => path.posix.normalize(d.replace(/\\/g, '/')).replace(/^\.\/|\/+$/g, ''))
    .filter((d) => d.length > 0 && d !== '.' && !d.startsWith('..') && !path.posix.isAbsolute(d));
  cache.set(root, { key, dirs });
  return dirs;
}

const nestedCache = new WeakMap<Db, Map<string, { key: string; dirs: string[] }>>();

/** Python packages inside another package whose __init__.py sets __version__: copies of other distributions. */
function nestedDistributions(db: Db, repoId: string): string[] {
  const key = String(db.prepare('SELECT indexed_at FROM code_repos WHERE repo_id = ?').pluck().get(repoId) ?? '');
  let perDb = nestedCache.get(db);
  if (!perDb) {
    perDb = new Map();
    nestedCache.set(db, perDb);
  }
  const hit = perDb.get(repoId);
  if (hit && hit.key === key) return hit.dirs;
  const inits = db
    .prepare(`SELECT id, path FROM code_files WHERE repo_id = ? AND (path = '__init__.py' OR path LIKE '%/__init__.py')`)
    .all(repoId) as { id: number; path: string }[];
  const packages = new Set(inits.map((r) => path.posix.dirname(r.path)));
  const texts = db.prepare('SELECT text FROM code_chunks WHERE file_id = ?').pluck();
  const declaresVersion = (id: number) => (texts.all(id) as string[]).some((t) => /^__version__\s*[:=]/m.test(t));
  const dirs = inits
    .map((r) => ({ id: r.id, dir: path.posix.dirname(r.path) }))
    .filter(({ id, dir }) => packages.has(path.posix.dirname(dir)) && declaresVersion(id))
    .map(({ dir }) => dir);
  perDb.set(repoId, { key, dirs });
  return dirs;
}

/** `dep = { path = "dir" }` entries of TOML tables whose name says dependencies (Cargo, Poetry, uv). */
function tomlPathDependencies(toml: string): string[] {
  const out: string[] = [];
  let inDeps = false;
  for (const line of toml.split('\n')) {
    const header = /^\s*\[+([^\]]+)\]+\s*$/.exec(line);
    if (header) {
      inDeps = /dependencies|sources/i.test(header[1] as string);
      continue;
    }
    if (!inDeps) continue;
    const m = /^\s*[\w.-]+\s*=\s*\{[^}]*\bpath\s*=\s*"([^"]+)"/.exec(line);
    if (m) out.push(m[1] as string);
  }
  return out;
}
