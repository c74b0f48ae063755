import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAIChatModel } from '../../src/llm/openai-chat-model.js';
import { ModelError } from '../../src/llm/model-error.js';
import type { ChatModel } from '../../src/llm/types.js';
import { silentLogger } from '../../src/logging/logger.js';
import { errorReply, type FakeOpenAI, startFakeOpenAI, textReply, toolCallReply } from '../harness/fake-openai.js';

let fake: FakeOpenAI;

beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(async () => {
  await fake.close();
});

function model(overrides: { timeoutMs?: number; maxRetries?: number; maxRetryAfterMs?: number } = {}): ChatModel {
  return createOpenAIChatModel({
    apiKey: 'test-key',
    baseUrl: fake.baseUrl,
    model: 'fake-model',
    timeoutMs: overrides.timeoutMs ?? 5_000,
    maxRetries: overrides.maxRetries ?? 2,
    retryBaseDelayMs: 5,
    ...(overrides.maxRetryAfterMs !== undefined ? { maxRetryAfterMs: overrides.maxRetryAfterMs } : {}),
    logger: silentLogger(),
  });
}

const searchTool = {
  name: 'search_code',
  description: 'search',
  parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
};

describe('createOpenAIChatModel', () => {
  it('maps tools, tool calls and tool results both ways', async () => {
    fake.enqueue(toolCallReply([{ id: 'call_a', name: 'search_code', arguments: { query: 'loadConfig' } }], { usage: { promptTokens: 120, completionTokens: 7 } }));
    fake.enqueue(textReply('It is in `src/config/load-config.ts:1-5`.'));
    const m = model();

    const first = await m.complete({ messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'where?' }], tools: [searchTool], maxTokens: 300 });
    expect(first.toolCalls).toEqual([{ id: 'call_a', name: 'search_code', arguments: '{"query":"loadConfig"}' }]);
    expect(first.finishReason).toBe('tool_calls');
    expect(first.usage).toEqual({ promptTokens: 120, completionTokens: 7 });

    const second = await m.complete({
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'where?' },
        { role: 'assistant', content: null, toolCalls: first.toolCalls },
        { role: 'tool', toolCallId: 'call_a', content: 'src/config/load-config.ts:1-5' },
      ],
      tools: [searchTool],
    });
    expect(second.content).toBe('It is in `src/config/load-config.ts:1-5`.');
    expect(second.toolCalls).toEqual([]);

    const [req1, req2] = fake.chatRequests();
    expect(req1!.headers.authorization).toBe('Bearer test-key');
    expect(req1!.body.model).toBe('fake-model');
    expect(req1!.body.max_tokens).toBe(300);
    expect(req1!.body.tools).toEqual([{ type: 'function', function: searchTool }]);
    expect(req2!.body.messages.slice(2)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'search_code', arguments: '{"query":"loadConfig"}' } }] },
      { role: 'tool', tool_call_id: 'call_a', content: 'src/config/load-config.ts:1-5' },
    ]);
    fake.assertDone();
  });

  it('retries a 500 and a 429 with Retry-After, then succeeds', async () => {
    fake.enqueue(errorReply(500), errorReply(429, { retryAfter: '0' }), textReply('fine'));
    const res = await model({ maxRetries: 2 }).complete({ messages: [{ role: 'user', content: 'hi' }] });
    expect(res.content).toBe('fine');
    expect(fake.chatRequests()).toHaveLength(3);
    fake.assertDone();
  });

  it('gives up after maxRetries with a typed, retryable error carrying the status', async () => {
    fake.enqueue(errorReply(503), errorReply(503));
    const err = await model({ maxRetries: 1 }).complete({ messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect(err).toMatchObject({ kind: 'server', status: 503, retryable: true });
    fake.assertDone();
  });

  it('does not retry a 400 or a 401', async () => {
    fake.enqueue(errorReply(401, { message: 'bad key' }));
    const err = await model().complete({ messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ModelError', kind: 'auth', status: 401, retryable: false });
    expect(fake.chatRequests()).toHaveLength(1);
    fake.assertDone();
  });

  it('fails fast when Retry-After asks for longer than we are willing to wait', async () => {
    fake.enqueue(errorReply(429, { retryAfter: '120' }));
    const err = await model({ maxRetryAfterMs: 1_000 }).complete({ messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'rate_limit', status: 429, retryAfterMs: 120_000 });
    expect(fake.chatRequests()).toHaveLength(1);
    fake.assertDone();
  });

  it('times out a slow reply, retries, and reports a timeout error', async () => {
    fake.enqueue(textReply('late', { delayMs: 3_000 }), textReply('late again', { delayMs: 3_000 }));
    const err = await model({ timeoutMs: 150, maxRetries: 1 }).complete({ messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'timeout', retryable: true, timeoutMs: 150 });
    expect(fake.chatRequests()).toHaveLength(2);
    fake.assertDone();
  });

  it('stops at once when the caller aborts', async () => {
    fake.enqueue(textReply('late', { delayMs: 3_000 }));
    const controller = new AbortController();
    const pending = model().complete({ messages: [{ role: 'user', content: 'hi' }], signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ kind: 'aborted', retryable: false });
    fake.assertDone();
  });

  it('records an unexpected call when nothing is queued', async () => {
    const err = await model({ maxRetries: 0 }).complete({ messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect(fake.errors).toHaveLength(1);
    expect(() => fake.assertDone()).toThrow(/nothing queued/);
  });
});

describe('fake OpenAI server', () => {
  it('lists models for reachability checks through the real SDK', async () => {
    const server = await startFakeOpenAI({ models: ['m1', 'm2'] });
    try {
      const client = new OpenAI({ apiKey: 'k', baseURL: server.baseUrl, maxRetries: 0 });
      const ids: string[] = [];
      for await (const m of client.models.list()) ids.push(m.id);
      expect(ids).toEqual(['m1', 'm2']);
      server.assertDone();
    } finally {
      await server.close();
    }
  });

  it('reports a queued reply that was never requested', async () => {
    fake.enqueue(textReply('unused'));
    expect(() => fake.assertDone()).toThrow(/1 queued reply was never requested/);
    expect(fake.pending()).toBe(1);
  });
});
