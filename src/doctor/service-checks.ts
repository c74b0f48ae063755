import { webApi } from '@slack/bolt';
import OpenAI from 'openai';
import type { Config } from '../config/load-config.js';
import { createOctokit } from '../github/create-octokit.js';
import type { Repository } from '../repos/repository.js';
import { type CheckResult, describeNetworkError } from './check.js';

const TIMEOUT_MS = 5000;

export async function checkSlack(slack: Config['slack']): Promise<CheckResult[]> {
  const name = 'slack';
  const client = new webApi.WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    timeout: TIMEOUT_MS,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => 'error' as never, setName() {} } as never,
  });
  try {
    await client.api.test();
  } catch (err) {
    // An ok:false answer still proves Slack's API answered; only transport failures mean unreachable.
    if ((err as { code?: string }).code !== 'slack_webapi_platform_error') return [{ name, status: 'fail', detail: `${slack.apiUrl} unreachable: ${describeNetworkError(err)}`, fix: 'check SLACK_API_URL and the network/proxy between this host and Slack' }];
  }
  if (!slack.botToken) {
    return [{ name, status: 'skip', detail: `${slack.apiUrl} reachable; no SLACK_BOT_TOKEN, so \`teammate start\` runs the terminal console` }];
  }
  try {
    const auth = await client.auth.test();
    const mode = slack.mode === 'socket' ? 'Socket Mode' : `HTTP receiver on port ${slack.port}`;
    return [{ name, status: 'pass', detail: `authenticated as ${auth.user} in ${auth.team} (${mode})` }];
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    return [{
      name,
      status: 'fail',
      detail: `auth.test failed: ${code ?? describeNetworkError(err)}`,
      fix: code === 'invalid_auth' || code === 'not_authed' ? 'SLACK_BOT_TOKEN is wrong or revoked: copy the xoxb- token from OAuth & Permissions after installing the app' : 'see README → Connect to Slack',
    }];
  }
}

/** Needs OPENAI_API_KEY (run-doctor skips this check without one). */
export async function checkOpenAI(llm: Config['llm']): Promise<CheckResult[]> {
  const name = 'llm';
  const client = new OpenAI({ apiKey: llm.apiKey, baseURL: llm.baseUrl, timeout: TIMEOUT_MS, maxRetries: 0 });
  try {
    const models = [];
    for await (const m of client.models.list()) {
      models.push(m.id);
      if (models.length > 500) break;
    }
    const has = models.includes(llm.model);
    return [{
      name,
      status: has || models.length === 0 ? 'pass' : 'warn',
      detail: `${llm.baseUrl} answered; model ${llm.model} ${has ? 'available' : models.length === 0 ? '(server lists no models)' : 'not in the list'}`,
      fix: has ? undefined : `set OPENAI_MODEL to one of: ${models.slice(0, 8).join(', ')}`,
    }];
  } catch (err) {
    const status = (err as { status?: number }).status;
    return [{
      name,
      status: 'fail',
      detail: `${llm.baseUrl}: ${status ? `HTTP ${status}` : describeNetworkError(err)}`,
      fix: status === 401 ? 'OPENAI_API_KEY was rejected: create a new key' : 'check OPENAI_BASE_URL (it usually ends in /v1) and the network',
    }];
  }
}

export async function checkGitHub(github: Config['github'], repos: readonly Repository[]): Promise<CheckResult[]> {
  const octokit = createOctokit(github, { timeoutMs: TIMEOUT_MS });
  const results: CheckResult[] = [];
  try {
    if (github.token) {
      const { data } = await octokit.rest.users.getAuthenticated();
      results.push({ name: 'github', status: 'pass', detail: `${github.apiUrl} authenticated as ${data.login}` });
    } else {
      await octokit.request('GET /');
      results.push({ name: 'github', status: 'skip', detail: `${github.apiUrl} reachable; no GITHUB_TOKEN (only needed for owner/name repositories and PRs)` });
    }
  } catch (err) {
    const status = (err as { status?: number }).status;
    results.push({
      name: 'github',
      status: github.token || repos.some((r) => r.github) ? 'fail' : 'warn',
      detail: `${github.apiUrl}: ${status ? `HTTP ${status}` : describeNetworkError(err)}`,
      fix: status === 401 ? 'GITHUB_TOKEN was rejected: create a new token' : 'check GITHUB_API_URL (GitHub Enterprise: https://HOST/api/v3)',
    });
    return results;
  }
  for (const repo of repos) {
    if (!repo.github) continue;
    try {
      const { data } = await octokit.rest.repos.get({ owner: repo.github.owner, repo: repo.github.name });
      results.push({ name: `github ${repo.label}`, status: 'pass', detail: `accessible (${data.private ? 'private' : 'public'}, default branch ${data.default_branch})` });
    } catch (err) {
      const status = (err as { status?: number }).status;
      results.push({
        name: `github ${repo.label}`,
        status: 'fail',
        detail: status ? `HTTP ${status}` : describeNetworkError(err),
        fix: status === 404 ? 'the repository does not exist or GITHUB_TOKEN cannot see it (grant it repository access)' : 'check GITHUB_TOKEN and GITHUB_API_URL',
      });
    }
  }
  return results;
}
