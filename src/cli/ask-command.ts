import type { Command } from 'commander';

// Placeholder so the CLI contract is visible from the first commit; replaced by the real command.
export function registerAskCommand(program: Command): void {
  program
    .command('ask')
    .description('answer one question about the code')
    .action(() => {
      throw new Error('teammate ask is not implemented yet');
    });
}
