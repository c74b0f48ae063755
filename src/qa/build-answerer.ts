import type { Config } from '../config/load-config.js';
import { createOpenAIChatModel } from '../llm/openai-chat-model.js';
import type { ChatModel } from '../llm/types.js';
import type { Logger } from '../logging/logger.js';
import type { CodeSearch } from '../search/types.js';
import { createAnswerQuestion } from './answer-question.js';
import type { AnswerQuestion } from './types.js';

/** The configured model, or undefined when no API key is set (answers are then extractive). */
export function buildChatModel(config: Config, logger: Logger, opts: { fetch?: typeof fetch } = {}): ChatModel | undefined {
  const { llm } = config;
  if (!llm.apiKey) return undefined;
  return createOpenAIChatModel({
    apiKey: llm.apiKey,
    baseUrl: llm.baseUrl,
    model: llm.model,
    timeoutMs: llm.timeoutMs,
    maxRetries: llm.maxRetries,
    logger,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
}

/** The Q&A use case wired from config: the OpenAI-compatible model when a key is set, extractive otherwise. */
export function buildAnswerQuestion(config: Config, search: CodeSearch, logger: Logger, model: ChatModel | undefined = buildChatModel(config, logger)): AnswerQuestion {
  return createAnswerQuestion({
    search,
    ...(model ? { model } : {}),
    logger,
    limits: { maxSteps: config.llm.maxSteps, maxTokens: config.llm.maxTokens },
  });
}
