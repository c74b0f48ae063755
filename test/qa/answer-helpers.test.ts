import { describe, expect, it } from 'vitest';
import { historyMessages } from '../../src/qa/conversation.js';
import { bestHitPerFile, isTestPath } from '../../src/qa/extractive-answer.js';

describe('historyMessages', () => {
  it('keeps the latest turns within the turn and character limits, newest intact', () => {
    const history = Array.from({ length: 6 }, (_, i) => ({ role: i % 2 === 0 ? ('user' as const) : ('assistant' as const), text: `turn ${i} ${'x'.repeat(20)}` }));
    const kept = historyMessages(history, { maxTurns: 4, maxChars: 70 });
    expect(kept.map((m) => m.role)).toEqual(['assistant', 'user', 'assistant']);
    expect(kept.at(-1)!.content).toBe(history[5]!.text);
    expect(kept[0]!.content!.startsWith('…')).toBe(true);
    expect(kept.reduce((n, m) => n + (m.content?.length ?? 0), 0)).toBeLessThanOrEqual(71);
  });

  it('returns nothing for no history', () => {
    expect(historyMessages(undefined)).toEqual([]);
  });
});

describe('bestHitPerFile', () => {
  it('keeps one hit per file, source before tests, search order otherwise', () => {
    const hit = (path: string, score: number) => ({ path, startLine: 1, endLine: 2, score, snippet: '' });
    const hits = [hit('test/a.test.ts', 9), hit('src/a.ts', 8), hit('src/a.ts', 7), hit('src/b.spec.ts', 6), hit('.env', 5), hit('lib/c.py', 4)];
    expect(bestHitPerFile(hits, 4).map((h) => h.path)).toEqual(['src/a.ts', 'lib/c.py', 'test/a.test.ts', 'src/b.spec.ts']);
    expect(isTestPath('tests/test_x.py')).toBe(true);
    expect(isTestPath('src/latest.ts')).toBe(false);
  });
});
