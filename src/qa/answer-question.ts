import type { Logger } from '../logging/logger.js';
import { scrubSecrets } from '../logging/scrub.js';
import { describeModelFailure } from '../llm/model-error.js';
import type { ChatMessage, ChatModel, ChatResponse } from '../llm/types.js';
import type { Repository } from '../repos/repository.js';
import type { CodeSearch } from '../search/types.js';
import { linkCitations, type ResolveCitedFile, unlinkCitationLabels } from './citations.js';
import { DEFAULT_HISTORY_LIMITS, type HistoryLimits, historyMessages } from './conversation.js';
import { buildExtractiveAnswer, NO_MODEL_NOTE } from './extractive-answer.js';
import { QA_TOOLS, type RepoFileReader, runQaTool } from './qa-tools.js';
import { readRepoFile } from './read-repo-file.js';
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
    /** The whole tool loop's time limit; past it the answer is extractive. DEFAULT_ANSWER_DEADLINE_MS by default. */
    readonly deadlineMs?: number;
  };
  /** Defaults to reading the repository's working tree (confined, secret files refused, scrubbed). */
  readonly readFile?: RepoFileReader;
  readonly history?: HistoryLimits;
}

/**
 * Without a model answer by then the asker gets the extractive one. Per-request timeouts and
 * retries (OPENAI_TIMEOUT_MS × (OPENAI_MAX_RETRIES + 1), per step) could add up to minutes of
 * "Looking into it…"; this bounds the whole loop so every question is answered within a minute.
 */
export const DEFAULT_ANSWER_DEADLINE_MS = 45_000;

/** A longer question (a pasted log, a file) is cut to its start before it reaches the model. */
export const MAX_QUESTION_CHARS = 8_000;

const seconds = (ms: number) => (ms < 10_000 ? String(Number((ms / 1000).toFixed(1))) : String(Math.round(ms / 1000)));

class AnswerDeadlineExceeded extends Error {}

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
    const scrubbed = scrubSecrets(asked.text);
    const capNote =
      scrubbed.length > MAX_QUESTION_CHARS
        ? `Your question was ${asked.text.length.toLocaleString('en-US')} characters long; I read the first ${MAX_QUESTION_CHARS.toLocaleString('en-US')}.`
        : undefined;
    const question: Question = {
      ...asked,
      text: scrubbed.slice(0, MAX_QUESTION_CHARS),
      ...(asked.history ? { history: asked.history.map((turn) => ({ ...turn, text: scrubSecrets(turn.text) })) } : {}),
    };
    const withCapNote = (answer: Answer): Answer => (capNote ? { ...answer, note: answer.note ? `${answer.note} ${capNote}` : capNote } : answer);
    const log = deps.logger.child({ component: 'qa', repo: question.repo.id });
    const commit = deps.search.indexedCommit(question.repo);
    const extractive = async (note: string) =>
      withCapNote(await buildExtractiveAnswer({ repo: question.repo, search: deps.search, readFile, commit, question: question.text, note }));

    if (!deps.model) {
      question.onProgress?.(`Searching ${question.repo.label}…`);
      const answer = await extractive(NO_MODEL_NOTE);
      log.info({ mode: answer.mode, citations: answer.citations.length, ms: Date.now() - started }, 'answered without a model');
      return answer;
    }

    let loop: { text: string; steps: number; tokens: number };
    const deadlineMs = deps.limits.deadlineMs ?? DEFAULT_ANSWER_DEADLINE_MS;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new AnswerDeadlineExceeded(`the model didn't answer within ${seconds(deadlineMs)} s`)), deadlineMs);
    try {
      const signal = question.signal ? AbortSignal.any([question.signal, deadline.signal]) : deadline.signal;
      loop = await runToolLoop({ ...question, signal }, deps.model, commit, log);
    } catch (err) {
      if (question.signal?.aborted) throw question.signal.reason ?? err;
      if (deadline.signal.aborted) {
        log.warn({ deadlineMs }, 'model missed the answer deadline; answering extractively');
        return extractive(`The model didn't answer within ${seconds(deadlineMs)} s; here are the most relevant places instead.`);
      }
      const reason = err instanceof BudgetExhaustedWithoutAnswer ? err.message : describeModelFailure(err);
      log.warn({ err, reason }, 'model failed; answering extractively');
      return extractive(`The model didn't answer (${reason}); here are the most relevant places instead.`);
    } finally {
      clearTimeout(timer);
    }

    const linked = await linkCitations(unlinkCitationLabels(loop.text), { repo: question.repo, commit, resolveFile: citedFileResolver(question.repo, deps.search, readFile) });
    const text = scrubSecrets(linked.text).trim();
    log.info(
      { mode: 'llm', steps: loop.steps, tokens: loop.tokens, citations: linked.citations.length, dropped: linked.dropped.map((d) => d.raw), ms: Date.now() - started },
      'answered',
    );
    if (text === '') return extractive("The model's answer cited only code that doesn't exist; here are the most relevant places instead.");
    return withCapNote({ text, citations: linked.citations, mode: 'llm' });
  };
}
