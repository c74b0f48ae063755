import OpenAI, { APIConnectionTimeoutError, APIConnectionError, APIError, APIUserAbortError } from 'openai';
import type { Logger } from '../logging/logger.js';
import { scrubSecrets } from '../logging/scrub.js';
import { fromOpenAICompletion, toOpenAIMessages, toOpenAITools } from './map-openai-chat.js';
import { ModelError } from './model-error.js';
import { retryWithBackoff } from '../shared/retry.js';
import type { ChatModel, ChatRequest, ChatResponse } from './types.js';

export interface OpenAIChatModelOptions {
  readonly apiKey: string;
  /** OpenAI-compatible base URL including `/v1` (Azure, Ollama, vLLM, …). */
  readonly baseUrl: string;
  readonly model: string;
  /** Per request (each retry gets its own). */
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly logger: Logger;
  /** Injected in tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /** First retry delay (doubles each time); 500 ms by default, lower in tests. */
  readonly retryBaseDelayMs?: number;
  /** Longest Retry-After we wait for before giving up; 30 s by default. */
  readonly maxRetryAfterMs?: number;
  /**
   * OpenAI's newer models reject `max_tokens`, while some compatible servers only know it.
   * Defaults to `max_completion_tokens` for api.openai.com and Azure, `max_tokens` elsewhere.
   */
  readonly maxTokensParam?: 'max_tokens' | 'max_completion_tokens';
}

function defaultMaxTokensParam(baseUrl: string): 'max_tokens' | 'max_completion_tokens' {
  const host = URL.canParse(baseUrl) ? new URL(baseUrl).hostname : '';
  return host === 'api.openai.com' || host.endsWith('.openai.azure.com') ? 'max_completion_tokens' : 'max_tokens';
}

function retryAfterMsOf(headers: Headers | undefined): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms && !Number.isNaN(Number.parseFloat(ms))) return Number.parseFloat(ms);
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (!Number.isNaN(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** SDK errors → ModelError, so the core branches on `kind`/`retryable` and never sees SDK classes. */
export function toModelError(err: unknown, timeoutMs: number): ModelError {
  if (err instanceof ModelError) return err;
  if (err instanceof APIUserAbortError) return new ModelError('model request cancelled', { kind: 'aborted', retryable: false, cause: err });
  if (err instanceof APIConnectionTimeoutError) {
    return new ModelError(`model request timed out after ${timeoutMs} ms`, { kind: 'timeout', retryable: true, timeoutMs, cause: err });
  }
  if (err instanceof APIConnectionError) {
    return new ModelError(`cannot reach the model endpoint: ${scrubSecrets(err.message)}`, { kind: 'connection', retryable: true, cause: err });
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const status = err.status;
    const retryAfterMs = retryAfterMsOf(err.headers);
    const message = `model endpoint answered HTTP ${status}: ${scrubSecrets(err.message).slice(0, 300)}`;
    if (status === 429) return new ModelError(message, { kind: 'rate_limit', retryable: true, status, retryAfterMs, cause: err });
    if (status === 408 || status === 409 || status >= 500) return new ModelError(message, { kind: 'server', retryable: true, status, retryAfterMs, cause: err });
    if (status === 401 || status === 403) return new ModelError(message, { kind: 'auth', retryable: false, status, cause: err });
    return new ModelError(message, { kind: 'bad_request', retryable: false, status, cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ModelError(`model call failed: ${scrubSecrets(message)}`, { kind: 'connection', retryable: false, cause: err });
}

/**
 * ChatModel over the official SDK's Chat Completions (with tools). Retries are ours, not the
 * SDK's, so that every failure ends as one typed ModelError, the caller's AbortSignal also stops a
 * backoff wait, and an unreasonable Retry-After makes us fall back rather than stall a Slack thread.
 */
export function createOpenAIChatModel(opts: OpenAIChatModelOptions): ChatModel {
  const client = new OpenAI({
    apiKey: opts.apiKey,
    baseURL: opts.baseUrl,
    timeout: opts.timeoutMs,
    maxRetries: 0,
    logLevel: 'off',
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  const maxTokensParam = opts.maxTokensParam ?? defaultMaxTokensParam(opts.baseUrl);
  const log = opts.logger.child({ component: 'llm', model: opts.model });

  async function completeOnce(req: ChatRequest): Promise<ChatResponse> {
    const started = Date.now();
    const completion = await client.chat.completions.create(
      {
        model: opts.model,
        messages: toOpenAIMessages(req.messages),
        ...(req.tools && req.tools.length > 0 ? { tools: toOpenAITools(req.tools), tool_choice: 'auto' as const } : {}),
        ...(req.maxTokens ? { [maxTokensParam]: req.maxTokens } : {}),
      },
      { signal: req.signal, timeout: opts.timeoutMs },
    );
    const response = fromOpenAICompletion(completion);
    if (!response) throw new ModelError('model reply had no choices', { kind: 'invalid_response', retryable: true });
    log.debug({ ms: Date.now() - started, finishReason: response.finishReason, usage: response.usage, toolCalls: response.toolCalls.length }, 'model replied');
    return response;
  }

  return {
    name: opts.model,
    complete(req) {
      return retryWithBackoff(
        async () => {
          try {
            return await completeOnce(req);
          } catch (err) {
            throw toModelError(err, opts.timeoutMs);
          }
        },
        {
          maxRetries: opts.maxRetries,
          baseDelayMs: opts.retryBaseDelayMs ?? 500,
          maxDelayMs: 8_000,
          maxRetryAfterMs: opts.maxRetryAfterMs ?? 30_000,
          ...(req.signal ? { signal: req.signal } : {}),
          classify: (err) => (err instanceof ModelError ? { retryable: err.retryable, retryAfterMs: err.retryAfterMs } : { retryable: false }),
          onRetry: ({ attempt, delayMs, err }) =>
            log.warn({ attempt, delayMs, err: err instanceof Error ? err.message : String(err) }, 'model call failed; retrying'),
        },
      );
    },
  };
}
