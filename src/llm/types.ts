/**
 * The model port. Shaped like Chat Completions (the lowest common denominator of OpenAI,
 * Azure, Ollama and vLLM) but owned by us, so the core never imports the openai SDK.
 */
export type ChatMessage =
  | { readonly role: 'system'; readonly content: string }
  | { readonly role: 'user'; readonly content: string }
  | { readonly role: 'assistant'; readonly content: string | null; readonly toolCalls?: readonly ToolCall[] }
  | { readonly role: 'tool'; readonly toolCallId: string; readonly content: string };

export interface ToolCall {
  readonly id: string;
  readonly name: string;
  /** Raw JSON text as the model produced it; may be invalid. */
  readonly arguments: string;
}

export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the arguments object. */
  readonly parameters: Record<string, unknown>;
}

export interface ChatRequest {
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly ToolSpec[];
  readonly maxTokens?: number;
  readonly signal?: AbortSignal;
}

export interface ChatResponse {
  readonly content: string | null;
  readonly toolCalls: readonly ToolCall[];
  readonly finishReason: string | null;
  readonly usage?: { readonly promptTokens: number; readonly completionTokens: number };
}

export interface ChatModel {
  readonly name: string;
  complete(req: ChatRequest): Promise<ChatResponse>;
}

/** Turns text into vectors for semantic search; the core sees only this port. */
export interface Embedder {
  /** Model id; vectors of different models never mix. */
  readonly model: string;
  readonly dimensions: number;
  /** One unit-length vector per input, in order. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}
