/**
 * The scanners' part of the composition graph: which adapter implements each scanner port.
 * Kept beside src/app.ts (the composition root) so the two can be merged without conflict.
 */
import type { Config } from './config/load-config.js';
import { createGitHubScanClient } from './github/actions-client.js';
import { createOctokit } from './github/create-octokit.js';
import type { Logger } from './logging/logger.js';
import { createNpmRegistryClient } from './npm/registry-client.js';
import { buildChatModel } from './qa/build-answerer.js';
import { createCommandRunner } from './repos/run-command.js';
import { createScanGit } from './repos/scan-git.js';
import { listScanners } from './scanners/registry.js';
import type { ScanDeps } from './scanners/run-scan.js';
import type { Db } from './storage/database.js';
import { createScanStateStore } from './storage/scan-state-store.js';

export function buildScanDeps(runtime: { readonly config: Config; readonly logger: Logger; readonly db: Db }): ScanDeps {
  const { config, logger } = runtime;
  return {
    scanners: listScanners(),
    state: createScanStateStore(runtime.db),
    gitFor: (repo) => createScanGit(repo.root),
    logger: logger.child({ component: 'scan' }),
    // Public repositories answer without a token too (at a lower rate limit).
    github: createGitHubScanClient(createOctokit(config.github)),
    chatModel: buildChatModel(config, logger.child({ component: 'review' })),
    npmRegistry: createNpmRegistryClient({ url: config.npmRegistry }),
    commands: createCommandRunner(),
  };
}
