#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError } from './config/load-config.js';
import { MigrationError } from './storage/migrate.js';
import { CliFailure } from './cli/cli-failure.js';
import { registerCommands } from './cli/commands.js';
import { CliUsageError } from './cli/index-command.js';
import { findUnknownCommand } from './cli/unknown-command.js';

const program = new Command()
  .name('teammate')
  .description('A Slack teammate that knows your codebase.')
  .option('--repo <pathOrOwnerName>', 'repository to work on (overrides TEAMMATE_REPOS)')
  .option('--db <file>', 'SQLite database file (overrides TEAMMATE_DB)')
  .option('--log-level <level>', 'log level (overrides LOG_LEVEL)')
  .showHelpAfterError()
  .exitOverride();

registerCommands(program);

// `start` is the default command, so commander would read `teammate bogus` as `start bogus`
// ("too many arguments for 'start'"): name the unknown command and list the real ones instead.
const unknown = findUnknownCommand(program, process.argv.slice(2));
if (unknown !== undefined) {
  const list = program.commands.map((c) => `  ${c.name().padEnd(9)} ${c.description()}`).join('\n');
  process.stderr.write(`teammate: unknown command '${unknown}'. Commands:\n${list}\nRun \`teammate <command> --help\` for one command's options.\n`);
  process.exit(2);
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof ConfigError || err instanceof MigrationError || err instanceof CliUsageError) {
    process.stderr.write(`teammate: ${err.message}\n`);
    process.exit(2);
  }
  if (err instanceof CliFailure) {
    process.stderr.write(`teammate: ${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`teammate: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
}
