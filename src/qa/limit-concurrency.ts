import type { AnswerQuestion, Question } from './types.js';

export interface ConcurrencyLimit {
  /** Most questions answered at once; the rest wait in arrival order. */
  readonly max: number;
}

export type LimitedAnswerQuestion = AnswerQuestion & {
  /** Questions being answered and waiting now (logs, tests). */
  load(): { readonly running: number; readonly queued: number };
};

interface Waiting {
  readonly question: Question;
  start(): void;
}

/**
 * Answers at most `max` questions at once and queues the rest, first come first served. Every
 * answer does work on the thread that also acks Slack deliveries (searching, reading files,
 * Slack calls); a burst answered all at once interleaves hundreds of them and acks wait behind
 * the lot. A waiting asker hears where they are in line; an aborted question leaves the line.
 */
export function limitConcurrency(answer: AnswerQuestion, limit: ConcurrencyLimit): LimitedAnswerQuestion {
  if (!Number.isInteger(limit.max) || limit.max < 1) throw new Error(`answer concurrency must be a whole number ≥ 1, got ${limit.max}`);
  let running = 0;
  const queue: Waiting[] = [];

  const run = (question: Question): Promise<Awaited<ReturnType<AnswerQuestion>>> => {
    running += 1;
    let settled: ReturnType<AnswerQuestion>;
    try {
      settled = answer(question);
    } catch (err) {
      settled = Promise.reject(err);
    }
    return settled.finally(() => {
      running -= 1;
      startNext();
    });
  };

  const startNext = () => {
    while (running < limit.max && queue.length > 0) queue.shift()!.start();
  };

  const limited = (question: Question): ReturnType<AnswerQuestion> => {
    const { signal } = question;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (running < limit.max && queue.length === 0) return run(question);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const at = queue.indexOf(waiting);
        if (at >= 0) queue.splice(at, 1);
        reject(signal?.reason);
      };
      const waiting: Waiting = {
        question,
        start() {
          signal?.removeEventListener('abort', onAbort);
          run(question).then(resolve, reject);
        },
      };
      const ahead = running + queue.length;
      queue.push(waiting);
      signal?.addEventListener('abort', onAbort, { once: true });
      question.onProgress?.(`Waiting for my turn: ${ahead} question${ahead === 1 ? '' : 's'} ahead of yours…`);
    });
  };
  return Object.assign(limited, { load: () => ({ running, queued: queue.length }) });
}
