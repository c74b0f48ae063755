import { describe, expect, it } from 'vitest';
import { limitConcurrency } from '../../src/qa/limit-concurrency.js';
import type { Answer, AnswerQuestion, Question } from '../../src/qa/types.js';
import type { Repository } from '../../src/repos/repository.js';

const repo: Repository = { id: '/r', root: '/r', label: 'r' };

/** An AnswerQuestion whose answers finish only when the test says so; records what ran when. */
function controllableAnswers() {
  const started: string[] = [];
  const finish = new Map<string, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();
  let running = 0;
  let maxRunning = 0;
  const answer: AnswerQuestion = (q) => {
    started.push(q.text);
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    return new Promise<Answer>((resolve, reject) => finish.set(q.text, { resolve, reject })).finally(() => {
      running -= 1;
    });
  };
  return {
    answer,
    started,
    maxRunning: () => maxRunning,
    resolve: (text: string) => finish.get(text)!.resolve({ text: `answer to ${text}`, citations: [], mode: 'extractive' }),
    reject: (text: string, err: Error) => finish.get(text)!.reject(err),
  };
}

const ask = (text: string, extra: Partial<Question> = {}): Question => ({ repo, text, ...extra });
/** Lets every queued promise callback run. */
const settle = () => new Promise((r) => setImmediate(r));

describe('limitConcurrency', () => {
  it('answers at most max questions at once and starts the rest in arrival order', async () => {
    const c = controllableAnswers();
    const limited = limitConcurrency(c.answer, { max: 2 });
    const answers = ['q1', 'q2', 'q3', 'q4', 'q5'].map((t) => limited(ask(t)));
    await settle();
    expect(c.started).toEqual(['q1', 'q2']);
    expect(limited.load()).toEqual({ running: 2, queued: 3 });

    c.resolve('q2');
    await settle();
    expect(c.started).toEqual(['q1', 'q2', 'q3']);
    c.resolve('q1');
    c.resolve('q3');
    await settle();
    expect(c.started).toEqual(['q1', 'q2', 'q3', 'q4', 'q5']);
    c.resolve('q4');
    c.resolve('q5');
    expect((await Promise.all(answers)).map((a) => a.text)).toEqual(['answer to q1', 'answer to q2', 'answer to q3', 'answer to q4', 'answer to q5']);
    expect(c.maxRunning()).toBe(2);
    expect(limited.load()).toEqual({ running: 0, queued: 0 });
  });

  it('tells a queued asker how many questions are ahead, and nobody who started at once', async () => {
    const c = controllableAnswers();
    const limited = limitConcurrency(c.answer, { max: 1 });
    const progress: Record<string, string[]> = { q1: [], q2: [], q3: [] };
    const answers = ['q1', 'q2', 'q3'].map((t) => limited(ask(t, { onProgress: (s) => progress[t]!.push(s) })));
    expect(progress.q1).toEqual([]);
    expect(progress.q2).toEqual(['Waiting for my turn: 1 question ahead of yours…']);
    expect(progress.q3).toEqual(['Waiting for my turn: 2 questions ahead of yours…']);
    for (const t of ['q1', 'q2', 'q3']) {
      await settle();
      c.resolve(t);
    }
    await Promise.all(answers);
  });

  it('passes an error through and frees the slot for the next question', async () => {
    const c = controllableAnswers();
    const limited = limitConcurrency(c.answer, { max: 1 });
    const first = limited(ask('q1'));
    const second = limited(ask('q2'));
    await settle();
    c.reject('q1', new Error('search failed'));
    await expect(first).rejects.toThrow('search failed');
    await settle();
    expect(c.started).toEqual(['q1', 'q2']);
    c.resolve('q2');
    await expect(second).resolves.toMatchObject({ text: 'answer to q2' });
  });

  it('frees the slot when the use case throws synchronously', async () => {
    let calls = 0;
    const limited = limitConcurrency(
      (q) => {
        calls += 1;
        if (q.text === 'bad') throw new Error('bad question');
        return Promise.resolve({ text: 'ok', citations: [], mode: 'extractive' as const });
      },
      { max: 1 },
    );
    await expect(limited(ask('bad'))).rejects.toThrow('bad question');
    await expect(limited(ask('good'))).resolves.toMatchObject({ text: 'ok' });
    expect(calls).toBe(2);
  });

  it('drops a queued question whose asker gave up, without ever starting it', async () => {
    const c = controllableAnswers();
    const limited = limitConcurrency(c.answer, { max: 1 });
    const first = limited(ask('q1'));
    const controller = new AbortController();
    const abandoned = limited(ask('q2', { signal: controller.signal }));
    const third = limited(ask('q3'));
    controller.abort(new Error('took too long'));
    await expect(abandoned).rejects.toThrow('took too long');
    expect(limited.load()).toEqual({ running: 1, queued: 1 });
    c.resolve('q1');
    await first;
    await settle();
    expect(c.started).toEqual(['q1', 'q3']);
    c.resolve('q3');
    await third;
  });

  it('refuses an already aborted question and hands a running one its signal', async () => {
    const c = controllableAnswers();
    const limited = limitConcurrency(c.answer, { max: 1 });
    const aborted = AbortSignal.abort(new Error('gone'));
    await expect(limited(ask('q0', { signal: aborted }))).rejects.toThrow('gone');
    expect(c.started).toEqual([]);

    const seen: (AbortSignal | undefined)[] = [];
    const passThrough = limitConcurrency(
      async (q) => {
        seen.push(q.signal);
        return { text: 'ok', citations: [], mode: 'extractive' };
      },
      { max: 1 },
    );
    const controller = new AbortController();
    await passThrough(ask('q1', { signal: controller.signal }));
    expect(seen).toEqual([controller.signal]);
  });

  it('rejects a limit that is not a whole number of at least 1', () => {
    const c = controllableAnswers();
    expect(() => limitConcurrency(c.answer, { max: 0 })).toThrow(/≥ 1/);
    expect(() => limitConcurrency(c.answer, { max: 1.5 })).toThrow(/≥ 1/);
  });
});
