import type { Command } from 'commander';

// Placeholder so the CLI contract is visible from the first commit; replaced by the real command.
export function registerIndexCommand(program: Command): void {
  program
    .command('index')
    .description('build or refresh the code index of a repository')
    .action(() => {
      throw new Error('teammate index is not implemented yet');
    });
}
