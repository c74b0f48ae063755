/**
 * A scripted OpenAI-compatible server on 127.0.0.1 for tests: the real `openai` SDK talks HTTP to
 * it. Replies are queued in order; a call with nothing queued fails loudly (HTTP 500 and an entry
 * in `errors`, which tests assert empty via `assertDone()`), as does a queued reply left unused.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (undefined for GET). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- request bodies are free-form JSON that tests dig into.
  readonly body: any;
}

export interface FakeUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

export interface FakeToolCall {
  readonly id?: string;
  readonly name: string;
  /** An object is JSON-encoded; a string is sent as is (to test invalid JSON from a model). */
  readonly arguments: unknown;
}

export type FakeReply =
  | { readonly kind: 'text'; readonly text: string; readonly usage?: FakeUsage; readonly delayMs?: number }
  | { readonly kind: 'tool_calls'; readonly calls: readonly FakeToolCall[]; readonly text?: string; readonly usage?: FakeUsage; readonly delayMs?: number }
  | {
      readonly kind: 'error';
      readonly status: number;
      readonly retryAfter?: string;
      readonly message?: string;
      readonly delayMs?: number;
    }
  /** Derive the reply from the request, e.g. answer with what a tool result said. */
  | ((req: RecordedRequest) => FakeReply | Promise<FakeReply>);

export const textReply = (text: string, extra: { usage?: FakeUsage; delayMs?: number } = {}): FakeReply => ({ kind: 'text', text, ...extra });
export const toolCallReply = (calls: readonly FakeToolCall[], extra: { usage?: FakeUsage; delayMs?: number; text?: string } = {}): FakeReply => ({
  kind: 'tool_calls',
  calls,
  ...extra,
});
export const errorReply = (status: number, extra: { retryAfter?: string; message?: string; delayMs?: number } = {}): FakeReply => ({
  kind: 'error',
  status,
  ...extra,
});

export interface FakeOpenAI {
  /** Ends in `/v1`, like OPENAI_BASE_URL. */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** Only the chat-completion requests. */
  readonly chatRequests: () => RecordedRequest[];
  /** Unexpected calls (nothing queued, unknown route). */
  readonly errors: string[];
  enqueue(...replies: FakeReply[]): void;
  /** Replies still queued. */
  pending(): number;
  /** Throws when a call was unexpected or a queued reply was never used. */
  assertDone(): void;
  close(): Promise<void>;
}

let callCounter = 0;

function completionBody(reply: Extract<FakeReply, { kind: 'text' | 'tool_calls' }>, model: string) {
  const usage = reply.usage ?? { promptTokens: 10, completionTokens: 5 };
  const toolCalls =
    reply.kind === 'tool_calls'
      ? reply.calls.map((c) => ({
          id: c.id ?? `call_${++callCounter}`,
          type: 'function',
          function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments) },
        }))
      : undefined;
  return {
    id: `chatcmpl-${++callCounter}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: reply.kind === 'text' ? reply.text : (reply.text ?? null), refusal: null, ...(toolCalls ? { tool_calls: toolCalls } : {}) },
        finish_reason: reply.kind === 'text' ? 'stop' : 'tool_calls',
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens, total_tokens: usage.promptTokens + usage.completionTokens },
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export interface FakeOpenAIOptions {
  /** Ids listed by `GET /v1/models` (doctor's reachability check); `['fake-model']` by default. */
  readonly models?: readonly string[];
  /**
   * Serves `POST /v1/embeddings` with this function's vector per input (the test decides what is
   * "similar"). Without it an embeddings call is unexpected. Throwing answers HTTP 500.
   */
  readonly embed?: (input: string) => readonly number[];
}

export async function startFakeOpenAI(opts: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const queue: FakeReply[] = [];
  const requests: RecordedRequest[] = [];
  const errors: string[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const wait = (ms: number, res: http.ServerResponse) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
      // A client that timed out closes the socket: stop waiting for nothing.
      res.on('close', () => {
        clearTimeout(t);
        timers.delete(t);
        resolve();
      });
    });

  const server = http.createServer(async (req, res) => {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, headers: req.headers, body };
    requests.push(recorded);

    if (req.method === 'GET' && url.pathname.endsWith('/models')) {
      const ids = opts.models ?? ['fake-model'];
      sendJson(res, 200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })) });
      return;
    }
    if (req.method === 'POST' && url.pathname.endsWith('/embeddings') && opts.embed) {
      const { input } = body as { input: string | string[] };
      try {
        const data = (Array.isArray(input) ? input : [input]).map((text, index) => ({ object: 'embedding', index, embedding: [...opts.embed!(text)] }));
        sendJson(res, 200, { object: 'list', data, model: 'fake-embedding', usage: { prompt_tokens: 1, total_tokens: 1 } });
      } catch (err) {
        sendJson(res, 500, { error: { message: `fake-openai: embed failed: ${err instanceof Error ? err.message : String(err)}` } });
      }
      return;
    }
    if (req.method !== 'POST' || !url.pathname.endsWith('/chat/completions')) {
      errors.push(`unexpected ${req.method} ${url.pathname}`);
      sendJson(res, 404, { error: { message: `fake-openai: no route ${req.method} ${url.pathname}` } });
      return;
    }
    let reply = queue.shift();
    if (!reply) {
      errors.push(`unexpected chat completion #${requests.length} with nothing queued`);
      sendJson(res, 500, { error: { message: 'fake-openai: nothing queued', type: 'fake_error' } }, { 'x-should-retry': 'false' });
      return;
    }
    if (typeof reply === 'function') {
      try {
        reply = await reply(recorded);
        if (typeof reply === 'function') throw new Error('a reply function must return a plain reply');
      } catch (err) {
        // An assertion inside a reply function must fail the test, not hang the request.
        errors.push(`reply function threw: ${err instanceof Error ? err.message : String(err)}`);
        sendJson(res, 500, { error: { message: 'fake-openai: reply function threw', type: 'fake_error' } }, { 'x-should-retry': 'false' });
        return;
      }
    }
    if (reply.delayMs) await wait(reply.delayMs, res);
    if (reply.kind === 'error') {
      sendJson(
        res,
        reply.status,
        { error: { message: reply.message ?? `fake-openai: scripted HTTP ${reply.status}`, type: 'fake_error' } },
        reply.retryAfter ? { 'retry-after': reply.retryAfter } : {},
      );
      return;
    }
    const model = (body as { model?: string } | undefined)?.model ?? 'fake-model';
    sendJson(res, 200, completionBody(reply, model));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    chatRequests: () => requests.filter((r) => r.path.endsWith('/chat/completions')),
    errors,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    pending: () => queue.length,
    assertDone: () => {
      const problems = [...errors];
      if (queue.length > 0) problems.push(`${queue.length} queued repl${queue.length === 1 ? 'y was' : 'ies were'} never requested`);
      if (problems.length > 0) throw new Error(`fake-openai: ${problems.join('; ')}`);
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
