import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAIChatModel } from '../../src/llm/openai-chat-model.js';
import { silentLogger } from '../../src/logging/logger.js';
import { createReviewScanner } from '../../src/scanners/review/review-scanner.js';
import { recheckFinding, runScan } from '../../src/scanners/run-scan.js';
import { type FakeOpenAI, startFakeOpenAI, textReply } from '../harness/fake-openai.js';
import { gitIn, makeGitRepo, makeTempDir } from '../harness/temp-repo.js';
import { localRepo, scanDeps } from './scan-helpers.js';

const BUGGY = ['export function total(items: number[]): number {', '  let sum = 0;', '  for (let i = 1; i < items.length; i++) sum += items[i]!;', '  return sum;', '}', ''].join('\n');

describe('review scanner', () => {
  let ai: FakeOpenAI;
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(async () => {
    ai = await startFakeOpenAI();
    tmp = makeTempDir('teammate-review-');
    makeGitRepo(tmp.dir, { 'src/pay.ts': 'export {};\n' });
  });
  afterEach(async () => {
    await ai.close();
    tmp.cleanup();
  });

  const commit = (files: Record<string, string>, message: string) => {
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(tmp.dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(tmp.dir, rel), text);
    }
    gitIn(tmp.dir, 'add', '-A');
    gitIn(tmp.dir, 'commit', '-qm', message);
    return gitIn(tmp.dir, 'rev-parse', 'HEAD').trim();
  };
  const model = () => createOpenAIChatModel({ apiKey: 'test-key', baseUrl: ai.baseUrl, model: 'fake-model', timeoutMs: 5000, maxRetries: 0, logger: silentLogger() });

  it('keeps only confident findings on lines the commit touched, with the commit and the exact lines as evidence', async () => {
    const sha = commit({ 'src/pay.ts': BUGGY, '.env': 'API_TOKEN=supersecretvalue\n' }, 'Add total()');
    ai.enqueue(
      textReply(
        JSON.stringify({
          findings: [
            { path: 'src/pay.ts', startLine: 3, endLine: 3, title: 'total() skips the first item', problem: 'The loop starts at 1.', suggestion: 'Start the loop at 0.', severity: 'high', confidence: 0.92 },
            { path: 'src/pay.ts', startLine: 2, endLine: 2, title: 'Maybe use reduce', problem: 'style', suggestion: 'reduce', severity: 'low', confidence: 0.3 },
            { path: 'src/other.ts', startLine: 1, endLine: 2, title: 'Invented file', problem: 'x', suggestion: 'x', severity: 'high', confidence: 0.99 },
            { path: 'src/pay.ts', startLine: 40, endLine: 41, title: 'Invented lines', problem: 'x', suggestion: 'x', severity: 'high', confidence: 0.99 },
          ],
        }),
      ),
    );
    const { deps } = scanDeps([createReviewScanner()], { chatModel: model() });
    const repo = localRepo(tmp.dir);
    const report = await runScan(repo, deps);
    expect(report.findings).toHaveLength(1);
    const [f] = report.findings;
    expect(f).toMatchObject({ scanner: 'review', title: 'total() skips the first item', severity: 'high', confidence: 0.92 });
    expect(f!.evidence[0]).toEqual({
      path: 'src/pay.ts',
      startLine: 3,
      endLine: 3,
      commit: sha,
      excerpt: '  for (let i = 1; i < items.length; i++) sum += items[i]!;',
      label: `src/pay.ts:3-3 at ${sha.slice(0, 7)}`,
    });
    // The diff went to the model; the secret file did not.
    const prompt = JSON.stringify(ai.chatRequests()[0]!.body.messages);
    expect(prompt).toContain('for (let i = 1;');
    expect(prompt).not.toContain('supersecretvalue');

    // Nothing new landed: no model call at all.
    expect((await runScan(repo, deps)).findings).toEqual([]);
    ai.assertDone();

    // Only the commits since the last scan are reviewed.
    commit({ 'src/pay.ts': BUGGY.replace('let i = 1', 'let i = 0') }, 'Fix the loop');
    ai.enqueue(textReply('{"findings": []}'));
    await runScan(repo, deps);
    const second = JSON.stringify(ai.chatRequests()[1]!.body.messages);
    expect(second).toContain('Fix the loop');
    expect(second).not.toContain('Add total()');
    ai.assertDone();
    // The faulty line is gone at HEAD.
    expect(await recheckFinding(f!, repo, deps)).toBe(false);
  });

  it('is skipped with the reason when no model is configured', async () => {
    const { deps } = scanDeps([createReviewScanner()]);
    const report = await runScan(localRepo(tmp.dir), deps);
    expect(report.outcomes).toMatchObject([{ scanner: 'review', status: 'skipped', reason: 'no model configured (set OPENAI_API_KEY)' }]);
  });

  it('a reply that is not JSON fails the scan (retried next time, the commit is not skipped)', async () => {
    commit({ 'src/pay.ts': BUGGY }, 'Add total()');
    ai.enqueue(textReply('I think it looks fine but maybe'), textReply('{"findings": []}'));
    const { deps } = scanDeps([createReviewScanner()], { chatModel: model() });
    const repo = localRepo(tmp.dir);
    expect((await runScan(repo, deps)).outcomes[0]).toMatchObject({ status: 'failed', reason: 'the model did not answer with JSON' });
    expect((await runScan(repo, deps)).outcomes[0]).toMatchObject({ status: 'ok' });
    expect(JSON.stringify(ai.chatRequests()[1]!.body.messages)).toContain('Add total()');
    ai.assertDone();
  });
});
