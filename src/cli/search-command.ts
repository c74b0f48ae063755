import type { Command } from 'commander';

// Placeholder so the CLI contract is visible from the first commit; replaced by the real command.
export function registerSearchCommand(program: Command): void {
  program
    .command('search')
    .description('search the code index')
    .action(() => {
      throw new Error('teammate search is not implemented yet');
    });
}
