import fs from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { Repository } from '../repos/repository.js';
import { buildServices } from '../app.js';
import type { CodeSearch, IndexProgress, IndexSummary } from '../search/types.js';
import { type GlobalOptions, openRuntime, type Runtime } from './runtime.js';

/** A usage problem the user can fix: printed without a stack trace, exit 2. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

export function registerIndexCommand(program: Command): void {
  program
    .command('index')
    .description('build or refresh the code index of a repository (only changed files are re-read)')
    .action(async (_opts: unknown, cmd: Command) => {
      await withRepoRuntime(cmd.optsWithGlobals<GlobalOptions>(), async (runtime, repo) => {
        // refresh = clone or fetch a GitHub repository, then re-index what changed.
        const summary = await indexWithProgress({ index: buildServices(runtime).refresh }, repo);
        process.stderr.write(`${formatSummary(repo, summary)}\n`);
      });
    });
}

/** Opens the runtime for the first configured repository, checks it is readable, always closes. */
export async function withRepoRuntime(opts: GlobalOptions, run: (runtime: Runtime, repo: Repository) => Promise<void>): Promise<void> {
  const runtime = openRuntime(opts);
  try {
    const repo = runtime.repos[0];
    if (!repo) throw new CliUsageError('no repository: pass --repo DIR or owner/name');
    ensureReadable(repo);
    await run(runtime, repo);
  } catch (err) {
    if (err instanceof CliUsageError) {
      process.stderr.write(`teammate: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  } finally {
    runtime.close();
  }
}

/**
 * A local repository must exist, be a directory and be readable. GitHub repositories live under the
 * data dir and are cloned by the services' refresh (the one place that syncs them), so there is
 * nothing to check.
 */
export function ensureReadable(repo: Repository): void {
  if (repo.github) return;
  let st: fs.Stats;
  try {
    st = fs.statSync(repo.root);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliUsageError(code === 'ENOENT' ? `repository path ${repo.root} does not exist` : `repository path ${repo.root} cannot be read (${code})`);
  }
  // Before the access check: X_OK on a plain file says EACCES, which hides the real mistake.
  if (!st.isDirectory()) throw new CliUsageError(`repository path ${repo.root} is not a directory`);
  try {
    fs.accessSync(repo.root, fs.constants.R_OK | fs.constants.X_OK);
  } catch (err) {
    throw new CliUsageError(`repository path ${repo.root} is not readable by this user (${(err as NodeJS.ErrnoException).code})`);
  }
}

/** index() with a progress bar on stderr when stderr is a terminal; silent otherwise. */
export async function indexWithProgress(search: Pick<CodeSearch, 'index'>, repo: Repository): Promise<IndexSummary> {
  if (!process.stderr.isTTY) return search.index(repo);
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'indexing {bar} {value}/{total} files', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const onProgress = (p: IndexProgress) => {
    if (p.phase !== 'indexing') return;
    if (!started) {
      bar.start(p.total, p.done);
      started = true;
    } else bar.update(p.done);
  };
  try {
    return await search.index(repo, { onProgress });
  } finally {
    if (started) bar.stop();
  }
}

export function formatSummary(repo: Repository, s: IndexSummary): string {
  const mb = s.bytes / (1024 * 1024);
  const rate = s.seconds > 0 ? mb / s.seconds : 0;
  return (
    `indexed ${repo.label}: ${s.files} files, ${mb.toFixed(1)} MB in ${s.seconds.toFixed(2)} s (${rate.toFixed(1)} MB/s); ` +
    `${s.indexedFiles} re-indexed, ${s.removedFiles} removed, ${s.skippedFiles} skipped` +
    (s.commit ? ` @ ${s.commit.slice(0, 12)}` : '')
  );
}
