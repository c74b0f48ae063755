import fs from 'node:fs/promises';
import path from 'node:path';
import { git, isGitWorkTree } from '../repos/git.js';

export interface ListedFile {
  /** Relative to the root, '/' separated. */
  readonly path: string;
  /**
   * A cheap change key when known without reading: the staged git blob sha for tracked files that
   * are clean, mtime:size for plain folders. Undefined: read the file and hash its content.
   */
  readonly hash?: string;
}

const WALK_SKIP = new Set(['.git', 'node_modules', '.venv', 'venv', '__pycache__', '.tox', 'dist', 'build', 'target']);

/**
 * What is in the working tree: tracked files (with their blob sha unless modified) plus untracked
 * files git does not ignore. A folder that is not a git repository is walked instead.
 */
export async function listRepoFiles(root: string): Promise<{ files: ListedFile[]; git: boolean }> {
  if (!(await isGitWorkTree(root))) return { files: await walkFolder(root), git: false };
  // The three listings are independent (index read, stat of tracked files, untracked walk): run
  // them at once, which is most of a no-change refresh on a large repository.
  const [staged, modifiedOut, othersOut] = await Promise.all([
    git(root, ['ls-files', '-s', '-z']),
    git(root, ['ls-files', '-m', '-z']),
    git(root, ['ls-files', '--others', '--exclude-standard', '-z']),
  ]);
  const modified = new Set(modifiedOut.split('\0').filter(Boolean));
  const others = othersOut.split('\0').filter(Boolean);
  const files: ListedFile[] = [];
  const seen = new Set<string>();
  for (const entry of staged.split('\0')) {
    if (!entry) continue;
    // "<mode> <sha> <stage>\t<path>"; mode 120000 is a symlink, 160000 a submodule: neither is read.
    const tab = entry.indexOf('\t');
    const [mode, sha] = entry.slice(0, tab).split(' ');
    const p = entry.slice(tab + 1);
    if (mode !== '100644' && mode !== '100755') continue;
    if (seen.has(p)) continue; // merge conflicts list a path once per stage
    seen.add(p);
    files.push(modified.has(p) ? { path: p } : { path: p, hash: `git:${sha}` });
  }
  for (const p of others) if (!seen.has(p)) files.push({ path: p });
  return { files, git: true };
}

async function walkFolder(root: string): Promise<ListedFile[]> {
  const out: ListedFile[] = [];
  const stack = [''];
  while (stack.length > 0) {
    const rel = stack.pop() as string;
    const entries = await fs.readdir(path.join(root, rel), { withFileTypes: true });
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      // Symlinks are not followed: they could point outside the repository.
      if (e.isDirectory()) {
        if (!WALK_SKIP.has(e.name)) stack.push(childRel);
      } else if (e.isFile()) {
        const st = await fs.stat(path.join(root, childRel));
        out.push({ path: childRel, hash: `m:${Math.floor(st.mtimeMs)}:${st.size}` });
      }
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
