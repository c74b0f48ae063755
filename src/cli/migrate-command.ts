import type { Command } from 'commander';
import { migrate } from '../storage/migrate.js';
import { openDatabase } from '../storage/database.js';
import { loadCliConfig, type GlobalOptions } from './runtime.js';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (start does this too)')
    .action(() => {
      const config = loadCliConfig(program.opts<GlobalOptions>());
      const db = openDatabase(config.dbPath);
      try {
        const { applied, current } = migrate(db);
        for (const m of applied) process.stdout.write(`applied ${String(m.version).padStart(4, '0')}_${m.name}\n`);
        process.stdout.write(`${config.dbPath}: schema version ${current}${applied.length === 0 ? ' (up to date)' : ''}\n`);
      } finally {
        db.close();
      }
    });
}
