import type { Command } from 'commander';
import { registerMigrateCommand } from './migrate-command.js';

/** Every subcommand, each in its own file. */
export function registerCommands(program: Command): void {
  registerMigrateCommand(program);
}
