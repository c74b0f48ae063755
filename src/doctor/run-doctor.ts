import { type Config, ConfigError, loadConfig, type LoadConfigContext } from '../config/load-config.js';
import type { Repository } from '../repos/repository.js';
import { type CheckResult, formatCheck } from './check.js';
import { checkCodex, checkDatabase, checkRepository } from './local-checks.js';
import { checkScanners } from './scanner-checks.js';
import { checkGitHub, checkOpenAI, checkSlack } from './service-checks.js';

export interface DoctorReport {
  readonly results: readonly CheckResult[];
  readonly failed: number;
}

/**
 * Config problems are reported one check each; the checks that follow then run on the config
 * minus the bad keys, so one typo doesn't hide that Slack or the model is also unreachable.
 */
function configChecks(env: Record<string, string | undefined>, ctx: LoadConfigContext): { results: CheckResult[]; config?: Config; invalid: ReadonlySet<string> } {
  try {
    return { results: [{ name: 'config', status: 'pass', detail: 'all settings valid' }], config: loadConfig(env, ctx), invalid: new Set() };
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
    const invalid = new Set(err.problems.map((p) => p.key));
    try {
      return { results, config: loadConfig(without, ctx), invalid };
    } catch {
      return { results, invalid };
    }
  }
}

export async function runDoctor(
  env: Record<string, string | undefined>,
  ctx: LoadConfigContext,
  reposOf: (config: Config) => Repository[],
): Promise<DoctorReport> {
  const { results, config, invalid } = configChecks(env, ctx);
  if (config) {
    results.push(checkDatabase(config));
    results.push(...checkScanners(config));
    const repos = reposOf(config);
    for (const repo of repos) results.push(await checkRepository(repo));
    results.push(await checkCodex(config));
    const isSet = (key: string) => (env[key] ?? '').trim() !== '';
    // Not configured is not a failure: a service without its token is skipped without contacting it.
    // A service whose URL is invalid is skipped too, rather than silently checked at the default URL.
    const skip = (name: string, detail: string): Promise<CheckResult[]> => Promise.resolve([{ name, status: 'skip', detail }]);
    const invalidUrl = (key: string) => `skipped: ${key} is invalid (see above)`;
    const remote = await Promise.all([
      invalid.has('SLACK_API_URL')
        ? skip('slack', invalidUrl('SLACK_API_URL'))
        : isSet('SLACK_BOT_TOKEN')
          ? checkSlack(config.slack)
          : skip('slack', 'skipped: no SLACK_BOT_TOKEN, so `teammate start` runs the terminal console'),
      invalid.has('OPENAI_BASE_URL')
        ? skip('llm', invalidUrl('OPENAI_BASE_URL'))
        : config.llm.apiKey
          ? checkOpenAI(config.llm)
          : skip('llm', 'skipped: no OPENAI_API_KEY, so answers are extractive (best-matching code, no model)'),
      invalid.has('GITHUB_API_URL')
        ? skip('github', invalidUrl('GITHUB_API_URL'))
        : config.github.token || repos.some((r) => r.github)
          ? checkGitHub(config.github, repos)
          : skip('github', 'skipped: no GITHUB_TOKEN (only needed for owner/name repositories)'),
    ]);
    results.push(...remote.flat());
  }
  return { results, failed: results.filter((r) => r.status === 'fail').length };
}

export function formatDoctorReport(report: DoctorReport): string {
  const lines = report.results.map(formatCheck);
  lines.push('', report.failed === 0 ? 'All checks passed.' : `${report.failed} check${report.failed === 1 ? '' : 's'} failed.`);
  return `${lines.join('\n')}\n`;
}
