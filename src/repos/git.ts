import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { childProcessEnv } from '../logging/scrub.js';

const execFileAsync = promisify(execFile);

export class GitError extends Error {
  override name = 'GitError';
}

/**
 * Runs git in `cwd` with a scrubbed environment (no tokens leak into hooks or credential helpers)
 * and no terminal prompts, so a missing credential fails fast instead of hanging the bot.
 */
export async function git(cwd: string, args: readonly string[], opts: { maxBuffer?: number; env?: Record<string, string> } = {}): Promise<string> {
  try {
    const { stdout } = await execFileAsync('git', args as string[], {
      cwd,
      maxBuffer: opts.maxBuffer ?? 256 * 1024 * 1024,
      env: childProcessEnv(process.env, { GIT_TERMINAL_PROMPT: '0', ...opts.env }),
      encoding: 'utf8',
    });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new GitError(`git ${subcommandOf(args)} failed in ${cwd}: ${(e.stderr || e.message).trim().split('\n').slice(-3).join(' ')}`);
  }
}

export async function isGitWorkTree(dir: string): Promise<boolean> {
  try {
    return (await git(dir, ['rev-parse', '--is-inside-work-tree'])).trim() === 'true';
  } catch {
    return false;
  }
}

/** HEAD's commit, or undefined for a folder that is not a git repository or has no commits. */
export async function headCommit(dir: string): Promise<string | undefined> {
  try {
    return (await git(dir, ['rev-parse', 'HEAD'])).trim();
  } catch {
    return undefined;
  }
}

/** `push` in `git -c core.hooksPath=/dev/null push …`: the word an error message should name. */
function subcommandOf(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-c' || args[i] === '-C') i++;
    else if (!args[i]!.startsWith('-')) return args[i]!;
  }
  return args[0] ?? '';
}
