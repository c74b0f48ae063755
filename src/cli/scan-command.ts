import fs from 'node:fs';
import type { Command } from 'commander';
import { buildScanDeps } from '../app.js';
import { syncGithubRepository } from '../repos/clone.js';
import type { Finding } from '../scanners/finding.js';
import { RepoSettingsError } from '../scanners/repo-settings.js';
import { runScan, type ScanReport } from '../scanners/run-scan.js';
import { CliUsageError, withRepoRuntime } from './index-command.js';
import type { GlobalOptions } from './runtime.js';

interface ScanFlags {
  readonly json?: boolean;
  readonly only?: string;
  readonly resume?: string;
}

export function registerScanCommand(program: Command): void {
  program
    .command('scan')
    .description('run the scanners on a repository and print what they found (no Slack needed)')
    .option('--json', 'print the findings as a JSON array on stdout')
    .option('--only <scanners>', 'comma-separated scanners to run (todo, dependencies, ci, issues, review)')
    .option('--resume <scanner>', 'unpause a scanner that was paused after failing 3 times in a row, then scan')
    .action(async (flags: ScanFlags, cmd: Command) => {
      await withRepoRuntime(cmd.optsWithGlobals<GlobalOptions>(), async (runtime, repo) => {
        const deps = await buildScanDeps(runtime);
        const only = flags.only?.split(',').map((s) => s.trim()).filter(Boolean);
        const unknown = [...(only ?? []), ...(flags.resume ? [flags.resume] : [])].filter((n) => !deps.scanners.some((s) => s.name === n));
        if (unknown.length > 0) throw new CliUsageError(`unknown scanner ${unknown.join(', ')} (known: ${deps.scanners.map((s) => s.name).join(', ')})`);
        if (flags.resume) {
          const resumed = deps.state.resume(repo.id, flags.resume);
          process.stderr.write(resumed ? `resumed ${flags.resume}\n` : `${flags.resume} was not paused\n`);
        }
        if (repo.github) {
          try {
            await syncGithubRepository(repo, { token: runtime.config.github.token, logger: runtime.logger });
          } catch (err) {
            if (!fs.existsSync(repo.root)) throw err;
            runtime.logger.warn({ err }, 'could not fetch; scanning the existing clone');
          }
        }
        let report: ScanReport;
        try {
          report = await runScan(repo, deps, { only });
        } catch (err) {
          if (err instanceof RepoSettingsError) throw new CliUsageError(err.message);
          throw err;
        }
        process.stdout.write(flags.json ? `${JSON.stringify(report.findings, null, 2)}\n` : formatReport(repo.label, report));
        for (const o of report.outcomes) {
          if (o.status !== 'ok') process.stderr.write(`${o.scanner}: ${o.status}${o.reason ? ` — ${o.reason}` : ''}\n`);
        }
      });
    });
}

/** Findings grouped by scanner (registry order, each scanner's most important first), then what did not run. */
export function formatReport(label: string, report: ScanReport): string {
  const out: string[] = [`${label}${report.commit ? ` @ ${report.commit.slice(0, 12)}` : ''}: ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}`];
  for (const o of report.outcomes) {
    const mine = report.findings.filter((f) => f.scanner === o.scanner);
    out.push('', `== ${o.scanner} (${o.status === 'ok' ? `${mine.length}` : o.status}${o.reason ? `: ${o.reason}` : ''})`);
    for (const f of mine) out.push(formatFinding(f));
  }
  return `${out.join('\n')}\n`;
}

function formatFinding(f: Finding): string {
  const where = f.evidence
    .map((e) => (e.path ? `${e.path}${e.startLine ? `:${e.startLine}` : ''}` : e.url))
    .filter(Boolean)
    .slice(0, 3)
    .join(', ');
  const label = f.evidence[0]?.label;
  return `- [${f.severity}] ${f.title}\n    ${label ? `${label} · ` : ''}${where} · confidence ${f.confidence.toFixed(2)} · ${f.rule}`;
}
