import path from 'node:path';
import { type Config, loadConfig } from '../config/load-config.js';
import { readEnvironment } from '../config/env-file.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { openDatabase, type Db } from '../storage/database.js';
import { migrate } from '../storage/migrate.js';
import { type Repository, repositoryFromSpec } from '../repos/repository.js';

export interface GlobalOptions {
  /** Overrides TEAMMATE_REPOS with one repository (path or owner/name). */
  readonly repo?: string;
  readonly db?: string;
  readonly logLevel?: string;
}

export interface Runtime {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Db;
  readonly repos: readonly Repository[];
  close(): void;
}

/** Environment as the CLI sees it: `.env` in the working directory under the real environment, then flags. */
export function cliEnvironment(opts: GlobalOptions, cwd = process.cwd()): Record<string, string | undefined> {
  const env = readEnvironment(path.join(cwd, '.env'), process.env);
  if (opts.repo) env.TEAMMATE_REPOS = opts.repo;
  if (opts.db) env.TEAMMATE_DB = opts.db;
  if (opts.logLevel) env.LOG_LEVEL = opts.logLevel;
  return env;
}

export function loadCliConfig(opts: GlobalOptions, cwd = process.cwd()): Config {
  return loadConfig(cliEnvironment(opts, cwd), { cwd });
}

export function reposOf(config: Config): Repository[] {
  return config.repos.map((spec) => repositoryFromSpec(spec, { dataDir: config.dataDir, githubWebUrl: config.github.webUrl }));
}

/** Config, logger and a migrated database: what every command but `doctor` starts from. */
export function openRuntime(opts: GlobalOptions, overrides: { logLevel?: string } = {}): Runtime {
  const config = loadCliConfig(opts);
  const logger = createLogger({ level: overrides.logLevel ?? config.logLevel });
  const db = openDatabase(config.dbPath);
  migrate(db);
  return {
    config,
    logger,
    db,
    repos: reposOf(config),
    close: () => db.close(),
  };
}
