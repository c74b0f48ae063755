import fs from 'node:fs';
import type { Config } from '../config/load-config.js';
import { codexVersion, locateCodex, probeCodexSandbox } from '../executors/locate-codex.js';
import { headCommit, isGitWorkTree } from '../repos/git.js';
import type { Repository } from '../repos/repository.js';
import { openDatabase } from '../storage/database.js';
import { migrate, readMigrations } from '../storage/migrate.js';
import type { CheckResult } from './check.js';

export function checkDatabase(config: Config): CheckResult {
  const name = 'database';
  try {
    const db = openDatabase(config.dbPath);
    try {
      const { current } = migrate(db);
      const journal = String(db.pragma('journal_mode', { simple: true }));
      const known = readMigrations().at(-1)?.version ?? 0;
      return { name, status: 'pass', detail: `${config.dbPath} (schema ${current}/${known}, ${journal})` };
    } finally {
      db.close();
    }
  } catch (err) {
    return {
      name,
      status: 'fail',
      detail: `${config.dbPath}: ${(err as Error).message}`,
      fix: 'point TEAMMATE_DB (or TEAMMATE_DATA_DIR) at a writable location',
    };
  }
}

export async function checkRepository(repo: Repository): Promise<CheckResult> {
  const name = `repository ${repo.label}`;
  if (!fs.existsSync(repo.root)) {
    return repo.github
      ? { name, status: 'warn', detail: `not cloned yet (${repo.root})`, fix: `run \`teammate index --repo ${repo.id}\` to clone and index it (needs GITHUB_TOKEN for private repositories)` }
      : { name, status: 'fail', detail: `${repo.root} does not exist`, fix: 'fix the path in TEAMMATE_REPOS or --repo' };
  }
  if (!fs.statSync(repo.root).isDirectory()) {
    return { name, status: 'fail', detail: `${repo.root} is not a directory`, fix: 'point TEAMMATE_REPOS or --repo at the repository folder' };
  }
  try {
    fs.accessSync(repo.root, fs.constants.R_OK | fs.constants.X_OK);
  } catch {
    return { name, status: 'fail', detail: `${repo.root} is not readable by this user`, fix: 'grant read access or run Teammate as a user that has it' };
  }
  if (!(await isGitWorkTree(repo.root))) {
    return { name, status: 'warn', detail: `${repo.root} is not a git repository: every file is indexed, no commit for permalinks`, fix: 'run Teammate on a git checkout for tracked-files-only indexing' };
  }
  const head = await headCommit(repo.root);
  return { name, status: 'pass', detail: `${repo.root} (git, HEAD ${head ? head.slice(0, 10) : 'none yet'})` };
}

/**
 * The codex executor's CLI: installed (the SDK and its per-platform binary, which npm skips with
 * `--omit=optional`) and runnable here. Missing is a failure only when codex runs the tasks.
 */
export async function checkCodex(config: Config): Promise<CheckResult> {
  const name = 'codex';
  const codexPath = config.settings.TEAMMATE_CODEX_PATH;
  const needed = config.settings.TEAMMATE_EXECUTOR === 'codex';
  const located = await locateCodex(codexPath);
  if (!located.ok) {
    return { name, status: needed ? 'fail' : 'warn', detail: `${located.reason.split(';')[0]}: the codex executor cannot run tasks`, fix: located.reason.split('; ').slice(1).join('; ') || 'install @openai/codex-sdk' };
  }
  let version: string;
  try {
    version = await codexVersion(codexPath);
  } catch (err) {
    return {
      name,
      status: needed ? 'fail' : 'warn',
      detail: `the Codex CLI is installed but does not run here: ${(err as Error).message.split('\n')[0]!.slice(0, 200)}`,
      fix: 'reinstall with `npm ci` on this machine (the binary is per platform), or set TEAMMATE_CODEX_PATH',
    };
  }
  if (process.platform === 'linux') {
    try {
      await probeCodexSandbox(codexPath);
    } catch (err) {
      const said = `${(err as { stderr?: string }).stderr ?? ''}`.split('\n').find((l) => l.trim() !== '') ?? (err as Error).message.split('\n')[0]!;
      return {
        name,
        status: needed ? 'fail' : 'warn',
        detail: `${version} runs, but its sandbox cannot start here: ${said.trim().slice(0, 200)}`,
        fix: 'the sandbox (bubblewrap) needs unprivileged user namespaces; containers often refuse them. Run codex tasks with `teammate worker` on a host where `codex sandbox -- true` works, or set TEAMMATE_EXECUTOR=github-actions',
      };
    }
  }
  return { name, status: 'pass', detail: `${version}${codexPath ? ` (${codexPath})` : ''}, sandbox starts${needed ? '' : ' (installed; TEAMMATE_EXECUTOR is not codex)'}` };
}
