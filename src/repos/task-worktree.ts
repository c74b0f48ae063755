/**
 * One git worktree per task, on branch `teammate/task-<id>`, under the data dir. Running a task
 * again resets that same branch and worktree to the base commit: never a second worktree or branch.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { git } from './git.js';

export const taskBranch = (taskId: number): string => `teammate/task-${taskId}`;

/** Where a repository's task worktrees live: readable name plus a hash, so two repositories never collide. */
export function taskWorktreePath(dataDir: string, repoId: string, taskId: number): string {
  const slug = repoId.replace(/^.*[\\/](?=[^\\/]+$)/, '').replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 40) || 'repo';
  const hash = crypto.createHash('sha256').update(repoId).digest('hex').slice(0, 8);
  return path.join(dataDir, 'worktrees', `${slug}-${hash}`, `task-${taskId}`);
}

/**
 * The base of the task: the remote's default branch as just fetched (`authEnv` carries the token
 * to that one git child), else the local branch of that name when there is no `origin`.
 */
export async function resolveBaseCommit(root: string, defaultBranch: string, authEnv: Record<string, string>): Promise<string> {
  const remotes = (await git(root, ['remote'])).split('\n').map((r) => r.trim());
  if (remotes.includes('origin')) {
    const ref = `refs/remotes/origin/${defaultBranch}`;
    await git(root, ['-c', 'core.hooksPath=/dev/null', 'fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${defaultBranch}:${ref}`], { env: authEnv });
    return (await git(root, ['rev-parse', '--verify', `${ref}^{commit}`])).trim();
  }
  return (await git(root, ['rev-parse', '--verify', `refs/heads/${defaultBranch}^{commit}`])).trim();
}

// Two tasks of one repository fetching or adding worktrees at once trip over git's ref and index
// locks: their git work on the shared repository runs one at a time in this process.
const queues = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier `withRepoLock(root, …)` of this process has finished. */
export function withRepoLock<T>(root: string, work: () => Promise<T>): Promise<T> {
  const prev = queues.get(root) ?? Promise.resolve();
  const next = prev.catch(() => undefined).then(work);
  const settled = next.catch(() => undefined);
  queues.set(root, settled);
  void settled.then(() => {
    if (queues.get(root) === settled) queues.delete(root);
  });
  return next;
}

/** Creates (or resets) the task's worktree at `base` on its branch; returns the worktree path. */
export async function prepareTaskWorktree(opts: { root: string; dir: string; branch: string; base: string }): Promise<string> {
  const { root, dir, branch, base } = opts;
  // Forget worktrees whose folders are gone (a wiped data dir), so the branch can be checked out again.
  await git(root, ['worktree', 'prune']);
  if (await isWorktreeOf(root, dir)) {
    await git(dir, ['-c', 'core.hooksPath=/dev/null', 'checkout', '--quiet', '--force', '-B', branch, base]);
    await git(dir, ['clean', '-ffdxq']);
    return dir;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  await git(root, ['-c', 'core.hooksPath=/dev/null', 'worktree', 'add', '--quiet', '--force', '-B', branch, dir, base]);
  return dir;
}

async function isWorktreeOf(root: string, dir: string): Promise<boolean> {
  if (!fs.existsSync(path.join(dir, '.git'))) return false;
  const list = await git(root, ['worktree', 'list', '--porcelain']);
  const real = fs.realpathSync(dir);
  return list.split('\n').some((l) => l.startsWith('worktree ') && safeRealpath(l.slice('worktree '.length)) === real);
}

function safeRealpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}
