import type { Command } from 'commander';
import { registerAskCommand } from './ask-command.js';
import { registerIndexCommand } from './index-command.js';
import { registerMigrateCommand } from './migrate-command.js';
import { registerSearchCommand } from './search-command.js';

/** Every subcommand, each in its own file. */
export function registerCommands(program: Command): void {
  registerIndexCommand(program);
  registerSearchCommand(program);
  registerAskCommand(program);
  registerMigrateCommand(program);
}
