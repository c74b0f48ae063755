import { describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { silentLogger } from '../../src/logging/logger.js';
import type { Repository } from '../../src/repos/repository.js';
import { callWithRateLimit } from '../../src/slack/call-with-rate-limit.js';
import { classifyMessage } from '../../src/slack/classify-message.js';
import { explainFailure, userSafeMessage } from '../../src/slack/explain-failure.js';
import { parseTeammateCommand } from '../../src/slack/listeners/register-command-listener.js';
import { pickRepository } from '../../src/qa/pick-repository.js';
import { stripBotMention } from '../../src/slack/strip-bot-mention.js';
import { createProgressReporter } from '../../src/slack/progress-reporter.js';
import { fetchThreadHistory } from '../../src/slack/thread-history.js';
import { isFreshSlackTimestamp } from '../../src/slack/verify-timestamp.js';
import { startFakeSlack } from '../harness/fake-slack.js';

const repo = (label: string): Repository => ({ id: label, root: `/r/${label}`, label });

describe('isFreshSlackTimestamp', () => {
  const now = 1_700_000_000_000;
  it('accepts five minutes either way and refuses beyond, or garbage', () => {
    expect(isFreshSlackTimestamp(String(now / 1000), now)).toBe(true);
    expect(isFreshSlackTimestamp(String(now / 1000 - 300), now)).toBe(true);
    expect(isFreshSlackTimestamp(String(now / 1000 + 300), now)).toBe(true);
    expect(isFreshSlackTimestamp(String(now / 1000 - 301), now)).toBe(false);
    expect(isFreshSlackTimestamp(String(now / 1000 + 301), now)).toBe(false);
    expect(isFreshSlackTimestamp(undefined, now)).toBe(false);
    expect(isFreshSlackTimestamp('12abc', now)).toBe(false);
    expect(isFreshSlackTimestamp(['1700000000', 'x'], now)).toBe(true);
  });
});

describe('classifyMessage', () => {
  const none = () => undefined;
  const base = { type: 'message', channel: 'C1', ts: '2.0', user: 'U1', channel_type: 'channel' };
  it('answers mentions, DMs and follow-ups in known threads', () => {
    expect(classifyMessage({ ...base, type: 'app_mention', text: '<@UB> hi' }, { botUserId: 'UB', findConversation: none })).toEqual({
      kind: 'question',
      threadTs: '2.0',
      withHistory: false,
      preferredRepoId: undefined,
    });
    expect(classifyMessage({ ...base, text: 'hey <@UB>' }, { botUserId: 'UB', findConversation: none }).kind).toBe('question');
    expect(classifyMessage({ ...base, channel_type: 'im', text: 'q' }, { botUserId: 'UB', findConversation: none }).kind).toBe('question');
    const known = (c: string, t: string) => (c === 'C1' && t === '1.0' ? { repoId: 'acme/web' } : undefined);
    expect(classifyMessage({ ...base, thread_ts: '1.0', text: 'and?' }, { botUserId: 'UB', findConversation: known })).toEqual({
      kind: 'question',
      threadTs: '1.0',
      withHistory: true,
      preferredRepoId: 'acme/web',
    });
  });

  it('answers a follow-up also sent to the channel, or with a file attached', () => {
    const known = () => ({ repoId: 'acme/web' });
    for (const subtype of ['thread_broadcast', 'file_share']) {
      expect(classifyMessage({ ...base, subtype, thread_ts: '1.0', text: 'and the retry?' }, { botUserId: 'UB', findConversation: known }).kind, subtype).toBe('question');
    }
  });

  it('ignores subtypes, bots, itself and chatter', () => {
    const ctx = { botUserId: 'UB', findConversation: () => ({ repoId: 'x' }) };
    expect(classifyMessage({ ...base, subtype: 'message_changed', text: '<@UB>' }, ctx).kind).toBe('ignore');
    expect(classifyMessage({ ...base, bot_id: 'B2', text: '<@UB>' }, ctx).kind).toBe('ignore');
    expect(classifyMessage({ ...base, user: 'UB', thread_ts: '1.0', text: 'me' }, ctx).kind).toBe('ignore');
    expect(classifyMessage({ ...base, text: 'lunch?' }, ctx).kind).toBe('ignore');
    // The root of a thread is not a follow-up.
    expect(classifyMessage({ ...base, thread_ts: '2.0', text: 'root' }, ctx).kind).toBe('ignore');
  });
});

describe('pickRepository and stripBotMention', () => {
  const repos = [repo('acme/api'), repo('acme/api-gateway'), repo('acme/web')];
  it('takes a named label, the longest first, strips an `in label:` prefix', () => {
    expect(pickRepository('in acme/web: where is X?', repos)).toEqual({ repo: repos[2], text: 'where is X?' });
    expect(pickRepository('does acme/api-gateway retry?', repos)?.repo.label).toBe('acme/api-gateway');
    expect(pickRepository('is acme/api.', repos)?.repo.label).toBe('acme/api');
    expect(pickRepository('In `acme/api`, how?', repos)).toEqual({ repo: repos[0], text: 'how?' });
  });
  it('falls back to the thread repository, then the first', () => {
    expect(pickRepository('how?', repos, 'acme/web')?.repo.label).toBe('acme/web');
    expect(pickRepository('how?', repos)?.repo.label).toBe('acme/api');
    expect(pickRepository('how?', [])).toBeUndefined();
  });
  it('removes the bot mention only', () => {
    expect(stripBotMention('<@UB> ask <@U2>  about  it', 'UB')).toBe('ask <@U2> about it');
    expect(stripBotMention('<@UB|teammate> hi', 'UB')).toBe('hi');
  });
});

describe('parseTeammateCommand', () => {
  it('reads help, ask and bare questions', () => {
    expect(parseTeammateCommand('')).toEqual({ kind: 'help' });
    expect(parseTeammateCommand(' HELP ')).toEqual({ kind: 'help' });
    expect(parseTeammateCommand('ask')).toEqual({ kind: 'help' });
    expect(parseTeammateCommand('ask where is auth?')).toEqual({ kind: 'ask', question: 'where is auth?' });
    expect(parseTeammateCommand('where is auth?')).toEqual({ kind: 'ask', question: 'where is auth?' });
    expect(parseTeammateCommand('asking questions?')).toEqual({ kind: 'ask', question: 'asking questions?' });
  });
});

describe('explainFailure', () => {
  it('names the Slack error and the fix', () => {
    const err = Object.assign(new Error('An API error occurred: missing_scope'), {
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'missing_scope', needed: 'channels:history' },
    });
    expect(explainFailure('history', err)).toEqual({
      reason: "I couldn't read the thread history (missing_scope: channels:history).",
      fix: 'Reinstall the app from manifest.yml so it gets every scope it needs.',
    });
  });
  it('keeps URLs and repository-relative paths but drops server paths and stacks', () => {
    expect(userSafeMessage("see https://github.com/acme/api/blob/abc/src/a.ts and src/b.ts, not '/srv/x/y' or ./local/z\n    at f (/a/b.js:1:1)")).toBe(
      "see https://github.com/acme/api/blob/abc/src/a.ts and src/b.ts, not '…' or …",
    );
  });
  it('scrubs secrets from other errors', () => {
    const { reason } = explainFailure('answer', new Error('bad key sk-abcdefghijklmnopqrstuvwxyz123456'));
    expect(reason).not.toContain('sk-abcdefghijklmnopqrstuvwxyz123456');
  });
});

describe('callWithRateLimit', () => {
  const limited = (retryAfter: number) => Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter });
  it('waits Retry-After and retries only that call', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await callWithRateLimit(
      'chat.update',
      async () => {
        calls++;
        if (calls < 3) throw limited(2);
        return 'ok';
      },
      { logger: silentLogger(), sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe('ok');
    expect(waits).toEqual([2000, 2000]);
  });
  it('gives up on a Retry-After longer than the cap and on other errors', async () => {
    const sleep = async () => undefined;
    await expect(callWithRateLimit('x', async () => Promise.reject(limited(600)), { logger: silentLogger(), sleep })).rejects.toThrow('rate limited');
    await expect(callWithRateLimit('x', async () => Promise.reject(new Error('boom')), { logger: silentLogger(), sleep })).rejects.toThrow('boom');
  });
});

describe('createProgressReporter', () => {
  it('sends the newest status, one at a time, and nothing after stop', async () => {
    const sent: string[] = [];
    let resolveFirst!: () => void;
    const firstSent = new Promise<void>((r) => (resolveFirst = r));
    const reporter = createProgressReporter(async (s) => {
      sent.push(s);
      resolveFirst();
    }, 1);
    reporter.report('one');
    reporter.report('two');
    await firstSent;
    await reporter.stop();
    reporter.report('three');
    expect(sent).toEqual(['two']);
  });
});

describe('fetchThreadHistory', () => {
  it('keeps the last 20 turns within 12k characters, maps the bot to assistant, drops placeholders and the question', async () => {
    const slack = await startFakeSlack();
    try {
      const messages = [
        { ts: '1.0', user: 'U1', text: '<@UBOT> first question' },
        { ts: '1.1', user: 'UBOT', bot_id: 'BBOT', text: 'Looking into it…' },
        ...Array.from({ length: 30 }, (_, i) => ({ ts: `2.${i}`, user: i % 2 ? 'UBOT' : 'U2', bot_id: i % 2 ? 'BBOT' : undefined, text: `msg ${i}` })),
        { ts: '3.0', user: 'U1', text: 'the question' },
      ];
      slack.setThread('C1', '1.0', messages);
      const client = new webApi.WebClient('xoxb-test', { slackApiUrl: slack.apiUrl });
      const turns = await fetchThreadHistory(client, { channel: 'C1', threadTs: '1.0', excludeTs: '3.0', botUserId: 'UBOT', botId: 'BBOT' });
      expect(turns).toHaveLength(20);
      expect(turns[0]).toEqual({ role: 'user', text: 'msg 10', author: 'U2' });
      expect(turns[19]).toEqual({ role: 'assistant', text: 'msg 29' });
      expect(turns.some((t) => t.text.includes('Looking into it') || t.text === 'the question')).toBe(false);

      slack.setThread('C2', '1.0', Array.from({ length: 5 }, (_, i) => ({ ts: `4.${i}`, user: 'U1', text: `${i}`.repeat(5000) })));
      const bounded = await fetchThreadHistory(client, { channel: 'C2', threadTs: '1.0', excludeTs: 'none' });
      expect(bounded.reduce((n, t) => n + t.text.length, 0)).toBeLessThanOrEqual(12_000);
      expect(bounded.at(-1)!.text.startsWith('4')).toBe(true);
    } finally {
      await slack.close();
    }
  });
});
