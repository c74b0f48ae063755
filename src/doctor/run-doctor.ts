import { type Config, ConfigError, loadConfig, type LoadConfigContext } from '../config/load-config.js';
import type { Repository } from '../repos/repository.js';
import { type CheckResult, formatCheck } from './check.js';
import { checkDatabase, checkRepository } from './local-checks.js';
import { checkGitHub, checkOpenAI, checkSlack } from './service-checks.js';

export interface DoctorReport {
  readonly results: readonly CheckResult[];
  readonly failed: number;
}

/**
 * Config problems are reported one check each; the checks that follow then run on the config
 * minus the bad keys, so one typo doesn't hide that Slack or the model is also unreachable.
 */
function configChecks(env: Record<string, string | undefined>, ctx: LoadConfigContext): { results: CheckResult[]; config?: Config } {
  try {
    return { results: [{ name: 'config', status: 'pass', detail: 'all settings valid' }], config: loadConfig(env, ctx) };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const results: CheckResult[] = err.problems.map((p) => ({
      name: `config ${p.key}`,
      status: 'fail' as const,
      detail: p.message,
      fix: `correct ${p.key} in .env or the environment (see .env.example)`,
    }));
    const without = { ...env };
    for (const p of err.problems) delete without[p.key];
    // A missing signing secret is fixed for the remaining checks by dropping the HTTP-mode token too.
    if (err.problems.some((p) => p.key === 'SLACK_SIGNING_SECRET')) delete without.SLACK_BOT_TOKEN;
    try {
      return { results, config: loadConfig(without, ctx) };
    } catch {
      return { results };
    }
  }
}

export async function runDoctor(
  env: Record<string, string | undefined>,
  ctx: LoadConfigContext,
  reposOf: (config: Config) => Repository[],
): Promise<DoctorReport> {
  const { results, config } = configChecks(env, ctx);
  if (config) {
    results.push(checkDatabase(config));
    const repos = reposOf(config);
    for (const repo of repos) results.push(await checkRepository(repo));
    const remote = await Promise.all([checkSlack(config.slack), checkOpenAI(config.llm), checkGitHub(config.github, repos)]);
    results.push(...remote.flat());
  }
  return { results, failed: results.filter((r) => r.status === 'fail').length };
}

export function formatDoctorReport(report: DoctorReport): string {
  const lines = report.results.map(formatCheck);
  lines.push('', report.failed === 0 ? 'All checks passed.' : `${report.failed} check${report.failed === 1 ? '' : 's'} failed.`);
  return `${lines.join('\n')}\n`;
}
