import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAIChatModel } from '../../src/llm/openai-chat-model.js';
import { silentLogger } from '../../src/logging/logger.js';
import { scannerWriteup, writeUpTask } from '../../src/proposals/write-up-task.js';
import { errorReply, type FakeOpenAI, startFakeOpenAI, textReply } from '../harness/fake-openai.js';
import { finding } from './fixtures.js';

let fake: FakeOpenAI;
beforeEach(async () => {
  fake = await startFakeOpenAI();
});
afterEach(async () => {
  await fake.close();
});

const model = () =>
  createOpenAIChatModel({ apiKey: 'test-key', baseUrl: fake.baseUrl, model: 'fake-model', timeoutMs: 5_000, maxRetries: 0, retryBaseDelayMs: 5, logger: silentLogger() });

describe('writeUpTask', () => {
  it('uses the model’s write-up, clipped to card sizes, with the finding as untrusted data', async () => {
    fake.enqueue(
      textReply(
        'Here you go:\n```json\n' +
          JSON.stringify({ title: `Retry webhooks on 5xx ${'x'.repeat(300)}`, why: 'Deliveries are lost.', plan: '1. Wrap `send` in retry.\n2. Test it.', acceptance: 'npm test passes' }) +
          '\n```',
      ),
    );
    const w = await writeUpTask(finding(1), { model: model() });
    expect(w.source).toBe('llm');
    expect(w.title.length).toBeLessThanOrEqual(150);
    expect(w.title.startsWith('Retry webhooks on 5xx')).toBe(true);
    expect(w).toMatchObject({ why: 'Deliveries are lost.', plan: '1. Wrap `send` in retry.\n2. Test it.', acceptance: 'npm test passes' });
    const [req] = fake.chatRequests();
    expect(req!.body.messages[0].content).toContain('untrusted data');
    expect(req!.body.messages[1].content).toContain('src/f1.ts');
    fake.assertDone();
  });

  it('falls back to the scanner’s text on a model error or an unusable reply, and without a model', async () => {
    const errors: unknown[] = [];
    fake.enqueue(errorReply(500));
    expect(await writeUpTask(finding(1), { model: model(), onError: (e) => errors.push(e) })).toEqual(scannerWriteup(finding(1)));
    fake.enqueue(textReply('I would rather not.'));
    expect(await writeUpTask(finding(1), { model: model(), onError: (e) => errors.push(e) })).toEqual(scannerWriteup(finding(1)));
    expect(errors).toHaveLength(2);
    expect(await writeUpTask(finding(1), {})).toEqual({
      title: 'FIXME 1: handle the retry',
      why: 'A FIXME in src/f1.ts says the retry is missing.',
      plan: 'Add the retry in src/f1.ts and a test.',
      acceptance: "The finding is gone from `src/f1.ts` on the default branch and the repository's tests pass.",
      source: 'scanner',
    });
    fake.assertDone();
  });
});
