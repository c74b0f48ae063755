import type { Command } from 'commander';
import { cliEnvironment, type GlobalOptions, reposOf } from './runtime.js';

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check config, database, repository access and whether Slack, the model and GitHub answer')
    .option('--json', 'print the checks as JSON')
    .action(async (opts: { json?: boolean }) => {
      // The checks pull in every SDK (Bolt, openai, Octokit): load them only when doctor runs.
      const { formatDoctorReport, runDoctor } = await import('../doctor/run-doctor.js');
      const report = await runDoctor(cliEnvironment(program.opts<GlobalOptions>()), { cwd: process.cwd() }, reposOf);
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report));
      process.exitCode = report.failed > 0 ? 1 : 0;
    });
}
