#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError } from './config/load-config.js';
import { MigrationError } from './storage/migrate.js';
import { registerCommands } from './cli/commands.js';

const program = new Command()
  .name('teammate')
  .description('A Slack teammate that knows your codebase.')
  .option('--repo <pathOrOwnerName>', 'repository to work on (overrides TEAMMATE_REPOS)')
  .option('--db <file>', 'SQLite database file (overrides TEAMMATE_DB)')
  .option('--log-level <level>', 'log level (overrides LOG_LEVEL)')
  .showHelpAfterError()
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof ConfigError || err instanceof MigrationError) {
    process.stderr.write(`teammate: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`teammate: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
}
