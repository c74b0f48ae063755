import type { Command } from 'commander';
import { registerAskCommand } from './ask-command.js';
import { registerConsoleCommand } from './console-command.js';
import { registerDigestCommand } from './digest-command.js';
import { registerDoctorCommand } from './doctor-command.js';
import { registerIndexCommand } from './index-command.js';
import { registerMigrateCommand } from './migrate-command.js';
import { registerScanCommand } from './scan-command.js';
import { registerSearchCommand } from './search-command.js';
import { registerStartCommand } from './start-command.js';
import { registerTaskCommand } from './task-command.js';
import { registerTasksCommand } from './tasks-command.js';
import { registerWorkerCommand } from './worker-command.js';

/** Every subcommand, each in its own file. */
export function registerCommands(program: Command): void {
  registerStartCommand(program);
  registerConsoleCommand(program);
  registerIndexCommand(program);
  registerSearchCommand(program);
  registerAskCommand(program);
  registerScanCommand(program);
  registerMigrateCommand(program);
  registerDoctorCommand(program);
  registerTasksCommand(program);
  registerTaskCommand(program);
  registerWorkerCommand(program);
  registerDigestCommand(program);
}
