import type { Logger } from '../logging/logger.js';
import { scrubSecrets } from '../logging/scrub.js';
import { describeModelFailure } from '../llm/model-error.js';
import type { ChatMessage, ChatModel, ChatResponse } from '../llm/types.js';
import type { Repository } from '../repos/repository.js';
import type { CodeSearch } from '../search/types.js';
import { linkCitations, type ResolveCitedFile } from './citations.js';
import { DEFAULT_HISTORY_LIMITS, type HistoryLimits, historyMessages } from './conversation.js';
import { buildExtractiveAnswer, NO_MODEL_NOTE } from './extractive-answer.js';
import { QA_TOOLS, type RepoFileReader, runQaTool } from './qa-tools.js';
import { readRepoFile } from './read-repo-file.js';
import { markdownToMrkdwn } from './slack-mrkdwn.js';
import { buildSystemPrompt, FINAL_ANSWER_NUDGE } from './system-prompt.js';
import type { Answer, AnswerQuestion, Question } from './types.js';

export interface AnswerQuestionDeps {
  readonly search: CodeSearch;
  /** Absent when no API key is configured: answers are extractive. */
  readonly model?: ChatModel;
  readonly logger: Logger;
  readonly limits: {
    /** Most model calls per answer (the last one is made without tools). */
    readonly maxSteps: number;
    /** Token budget per answer: prompt + completion, summed over the calls. */
    readonly maxTokens: number;
    /** Completion cap for each call; 4,000 by default (reasoning models count their thinking in it). */
    readonly maxAnswerTokens?: number;
  };
  /** Defaults to reading the repository's working tree (confined, secret files refused, scrubbed). */
  readonly readFile?: RepoFileReader;
  readonly history?: HistoryLimits;
}

const defaultReadFile: RepoFileReader = (repo, path, range) => readRepoFile(repo.root, path, range);

/** Rough tokens for servers that report no usage: about four characters a token. */
function estimateTokens(messages: readonly ChatMessage[], res: ChatResponse): number {
  const chars = messages.reduce((n, m) => n + (m.content?.length ?? 0), 0) + (res.content?.length ?? 0);
  return Math.ceil(chars / 4);
}

/**
 * Resolves cited paths through the same confined reader the model used (so secret or escaping
 * paths can never be cited). A bare file name (`load-config.ts`) is completed when exactly one
 * indexed file has it: models often drop the folder.
 */
function citedFileResolver(repo: Repository, search: CodeSearch, readFile: RepoFileReader): ResolveCitedFile {
  const cache = new Map<string, Promise<{ path: string; lineCount: number } | undefined>>();
  const lookup = async (path: string) => {
    const direct = await readFile(repo, path, { startLine: 1, endLine: 1 });
    if (direct.ok) return { path: direct.path, lineCount: direct.totalLines };
    if (path.includes('/')) return undefined;
    const matches = search.listFiles(repo).filter((f) => f.path === path || f.path.endsWith(`/${path}`));
    if (matches.length !== 1) return undefined;
    const found = await readFile(repo, matches[0]!.path, { startLine: 1, endLine: 1 });
    return found.ok ? { path: found.path, lineCount: found.totalLines } : undefined;
  };
  return (path) => {
    let pending = cache.get(path);
    if (!pending) {
      pending = lookup(path).catch(() => undefined);
      cache.set(path, pending);
    }
    return pending;
  };
}

class BudgetExhaustedWithoutAnswer extends Error {}

/**
 * The Q&A use case: an LLM tool loop over the code index, or an extractive list of the best
 * matches when there is no model or the model fails. Never throws for model failures and never
 * returns an empty answer; only a caller's abort propagates.
 */
export function createAnswerQuestion(deps: AnswerQuestionDeps): AnswerQuestion {
  const readFile = deps.readFile ?? defaultReadFile;
  const maxAnswerTokens = deps.limits.maxAnswerTokens ?? 4_000;

  async function runToolLoop(question: Question, model: ChatModel, commit: string | undefined, log: Logger): Promise<{ text: string; steps: number; tokens: number }> {
    const messages: ChatMessage[] = [
      { role: 'system', content: buildSystemPrompt(question.repo, commit) },
      ...historyMessages(question.history, deps.history ?? DEFAULT_HISTORY_LIMITS),
      { role: 'user', content: question.text },
    ];
    let tokens = 0;
    for (let step = 1; step <= deps.limits.maxSteps; step++) {
      const last = step === deps.limits.maxSteps || tokens >= deps.limits.maxTokens;
      if (last) {
        question.onProgress?.('Writing the answer…');
        messages.push({ role: 'user', content: FINAL_ANSWER_NUDGE });
      }
      const res = await model.complete({
        messages,
        ...(last ? {} : { tools: QA_TOOLS }),
        maxTokens: maxAnswerTokens,
        ...(question.signal ? { signal: question.signal } : {}),
      });
      tokens += res.usage ? res.usage.promptTokens + res.usage.completionTokens : estimateTokens(messages, res);
      log.debug({ step, tokens, toolCalls: res.toolCalls.map((c) => c.name), finishReason: res.finishReason }, 'model step');
      if (res.toolCalls.length === 0 || last) {
        const text = res.content?.trim() ?? '';
        if (text === '') throw new BudgetExhaustedWithoutAnswer(last ? 'the model used its whole budget without answering' : 'the model returned an empty answer');
        return { text, steps: step, tokens };
      }
      messages.push({ role: 'assistant', content: res.content, toolCalls: res.toolCalls });
      for (const call of res.toolCalls) {
        const content = await runQaTool(call, { repo: question.repo, search: deps.search, readFile, logger: log, ...(question.onProgress ? { onProgress: question.onProgress } : {}) });
        messages.push({ role: 'tool', toolCallId: call.id, content });
      }
    }
    throw new BudgetExhaustedWithoutAnswer('the model used its whole budget without answering');
  }

  return async function answerQuestion(asked: Question): Promise<Answer> {
    const started = Date.now();
    // People paste connection strings and keys into questions and threads: the model gets neither.
    const question: Question = {
      ...asked,
      text: scrubSecrets(asked.text),
      ...(asked.history ? { history: asked.history.map((turn) => ({ ...turn, text: scrubSecrets(turn.text) })) } : {}),
    };
    const log = deps.logger.child({ component: 'qa', repo: question.repo.id });
    const commit = deps.search.indexedCommit(question.repo);
    const extractive = (note: string) =>
      buildExtractiveAnswer({ repo: question.repo, search: deps.search, readFile, commit, question: question.text, note });

    if (!deps.model) {
      question.onProgress?.(`Searching ${question.repo.label}…`);
      const answer = await extractive(NO_MODEL_NOTE);
      log.info({ mode: answer.mode, citations: answer.citations.length, ms: Date.now() - started }, 'answered without a model');
      return answer;
    }

    let loop: { text: string; steps: number; tokens: number };
    try {
      loop = await runToolLoop(question, deps.model, commit, log);
    } catch (err) {
      if (question.signal?.aborted) throw question.signal.reason ?? err;
      const reason = err instanceof BudgetExhaustedWithoutAnswer ? err.message : describeModelFailure(err);
      log.warn({ err, reason }, 'model failed; answering extractively');
      return extractive(`The model didn't answer (${reason}); here are the most relevant places instead.`);
    }

    const linked = await linkCitations(markdownToMrkdwn(loop.text), { repo: question.repo, commit, resolveFile: citedFileResolver(question.repo, deps.search, readFile) });
    const text = scrubSecrets(linked.text).trim();
    log.info(
      { mode: 'llm', steps: loop.steps, tokens: loop.tokens, citations: linked.citations.length, dropped: linked.dropped.map((d) => d.raw), ms: Date.now() - started },
      'answered',
    );
    if (text === '') return extractive("The model's answer cited only code that doesn't exist; here are the most relevant places instead.");
    return { text, citations: linked.citations, mode: 'llm' };
  };
}
