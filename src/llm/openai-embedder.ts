import OpenAI from 'openai';
import type { Logger } from '../logging/logger.js';
import { toModelError } from './openai-chat-model.js';
import { ModelError } from './model-error.js';
import { retryWithBackoff } from '../shared/retry.js';
import type { Embedder } from './types.js';

export interface OpenAIEmbedderOptions {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly model: string;
  /** Requested size (text-embedding-3-* shorten natively); servers that ignore it are detected. */
  readonly dimensions: number;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly logger: Logger;
  /** Inputs per request; OpenAI accepts 2,048, smaller batches keep each request well under limits. */
  readonly batchSize?: number;
  readonly retryBaseDelayMs?: number;
}

/** Scales to unit length so a dot product is the cosine similarity. */
function normalize(values: readonly number[]): Float32Array {
  const v = Float32Array.from(values);
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/** Embedder over the official SDK's embeddings endpoint (OpenAI, Azure, Ollama, vLLM, …). */
export function createOpenAIEmbedder(opts: OpenAIEmbedderOptions): Embedder {
  const client = new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseUrl, timeout: opts.timeoutMs, maxRetries: 0, logLevel: 'off' });
  const log = opts.logger.child({ component: 'embeddings', model: opts.model });
  const batchSize = opts.batchSize ?? 64;

  async function embedBatch(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const res = await retryWithBackoff(
      async () => {
        try {
          return await client.embeddings.create({ model: opts.model, input: [...texts], dimensions: opts.dimensions, encoding_format: 'float' }, { signal });
        } catch (err) {
          throw toModelError(err, opts.timeoutMs);
        }
      },
      {
        maxRetries: opts.maxRetries,
        baseDelayMs: opts.retryBaseDelayMs ?? 500,
        maxDelayMs: 8_000,
        maxRetryAfterMs: 30_000,
        ...(signal ? { signal } : {}),
        classify: (err) => (err instanceof ModelError ? { retryable: err.retryable, retryAfterMs: err.retryAfterMs } : { retryable: false }),
        onRetry: ({ attempt, delayMs, err }) => log.warn({ attempt, delayMs, err: err instanceof Error ? err.message : String(err) }, 'embeddings call failed; retrying'),
      },
    );
    const vectors = [...res.data].sort((a, b) => a.index - b.index).map((d) => normalize(d.embedding));
    if (vectors.length !== texts.length) {
      throw new ModelError(`embeddings endpoint returned ${vectors.length} vectors for ${texts.length} inputs`, { kind: 'invalid_response', retryable: false });
    }
    const wrong = vectors.find((v) => v.length !== opts.dimensions);
    if (wrong) {
      throw new ModelError(`embeddings model ${opts.model} returned ${wrong.length} dimensions, not ${opts.dimensions}: set TEAMMATE_EMBEDDING_DIMENSIONS=${wrong.length}`, {
        kind: 'invalid_response',
        retryable: false,
      });
    }
    return vectors;
  }

  return {
    model: opts.model,
    dimensions: opts.dimensions,
    async embed(texts, signal) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) out.push(...(await embedBatch(texts.slice(i, i + batchSize), signal)));
      return out;
    },
  };
}
