import { GitError, git } from './git.js';

/**
 * A file's content at the repository's HEAD (not the working tree, which an agent or a person may
 * be editing), or undefined when HEAD has no such file. Other git failures throw.
 */
export async function readFileAtHead(root: string, file: string): Promise<string | undefined> {
  if (file.startsWith('/') || file.split('/').includes('..')) return undefined;
  try {
    return await git(root, ['show', `HEAD:${file}`], { maxBuffer: 8 * 1024 * 1024 });
  } catch (err) {
    if (err instanceof GitError && /does not exist|exists on disk, but not in|bad revision|invalid object name/i.test(err.message)) return undefined;
    throw err;
  }
}
