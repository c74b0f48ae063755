import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseRepoSpec, webUrlFromApiUrl } from '../../src/config/load-config.js';

const ctx = { cwd: '/work/project', homeDir: '/home/dev' };

function problemsOf(env: Record<string, string>): { key: string; message: string }[] {
  try {
    loadConfig(env, ctx);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return [...(err as ConfigError).problems];
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('runs the console on the current directory with no settings at all', () => {
    const config = loadConfig({}, ctx);
    expect(config.slack.mode).toBe('none');
    expect(config.repos).toEqual([{ kind: 'local', path: '/work/project' }]);
    expect(config.dataDir).toBe('/home/dev/.local/share/teammate');
    expect(config.dbPath).toBe('/home/dev/.local/share/teammate/teammate.db');
    expect(config.llm.apiKey).toBeUndefined();
    expect(config.llm.baseUrl).toBe('https://api.openai.com/v1');
    expect(config.github.webUrl).toBe('https://github.com');
    expect(config.logLevel).toBe('info');
  });

  it('chooses Socket Mode with an app token and HTTP with a signing secret', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }, ctx).slack.mode).toBe('socket');
    const http = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's3cret', PORT: '8080' }, ctx);
    expect(http.slack.mode).toBe('http');
    expect(http.slack.port).toBe(8080);
  });

  it('lists every bad key at once, each with how to fix it', () => {
    const problems = problemsOf({
      SLACK_BOT_TOKEN: 'xoxp-user-token',
      PORT: 'eighty',
      SLACK_API_URL: 'not a url',
      LOG_LEVEL: 'loud',
      OPENAI_TIMEOUT_MS: '5',
    });
    const keys = problems.map((p) => p.key).sort();
    expect(keys).toEqual(['LOG_LEVEL', 'OPENAI_TIMEOUT_MS', 'PORT', 'SLACK_API_URL', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
    expect(problems.find((p) => p.key === 'SLACK_BOT_TOKEN')?.message).toContain('xoxb-');
    expect(problems.find((p) => p.key === 'PORT')?.message).toContain('whole number');
  });

  it('needs a signing secret for the HTTP receiver and a bot token with other Slack settings', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1' }).map((p) => p.key)).toEqual(['SLACK_SIGNING_SECRET']);
    expect(problemsOf({ SLACK_APP_TOKEN: 'xapp-1' }).map((p) => p.key)).toEqual(['SLACK_BOT_TOKEN']);
  });

  it('formats the error as one readable list', () => {
    try {
      loadConfig({ PORT: '-1', LOG_LEVEL: 'x' }, ctx);
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/2 problems/);
      expect((err as Error).message).toContain('  - PORT:');
      expect((err as Error).message).toContain('.env.example');
    }
  });

  it('treats blank values as unset, like an empty line in .env', () => {
    const config = loadConfig({ OPENAI_API_KEY: '', PORT: ' ', SLACK_BOT_TOKEN: '' }, ctx);
    expect(config.llm.apiKey).toBeUndefined();
    expect(config.slack.port).toBe(3000);
  });

  it('parses repositories: the first is the default', () => {
    const config = loadConfig({ TEAMMATE_REPOS: 'acme/api, ./web,/srv/mono ,~/code/x' }, ctx);
    expect(config.repos).toEqual([
      { kind: 'github', owner: 'acme', name: 'api' },
      { kind: 'local', path: '/work/project/web' },
      { kind: 'local', path: '/srv/mono' },
      { kind: 'local', path: '/home/dev/code/x' },
    ]);
    expect(problemsOf({ TEAMMATE_REPOS: 'a/b/c' })[0]?.key).toBe('TEAMMATE_REPOS');
  });

  it('derives the web URL of GitHub Enterprise from its API URL', () => {
    expect(webUrlFromApiUrl('https://api.github.com')).toBe('https://github.com');
    expect(webUrlFromApiUrl('https://ghe.example.com/api/v3')).toBe('https://ghe.example.com');
    expect(loadConfig({ GITHUB_API_URL: 'https://ghe.corp/api/v3/' }, ctx).github).toMatchObject({
      apiUrl: 'https://ghe.corp/api/v3',
      webUrl: 'https://ghe.corp',
    });
  });

  it('accepts GitHub URLs as repositories', () => {
    expect(parseRepoSpec('https://github.com/acme/api.git', ctx)).toEqual({ kind: 'github', owner: 'acme', name: 'api' });
  });
});
