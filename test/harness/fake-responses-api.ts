/**
 * A local fake of the OpenAI Responses API for the real Codex CLI (driven by @openai/codex-sdk):
 * - the CLI first tries a WebSocket at `/responses`; the upgrade is answered 426, so it falls back
 *   at once to `POST /responses` (a 404 would cost ~7 s of retries, a 400 would fail the run);
 * - `POST /responses` is answered as SSE: `response.created`, one `response.output_item.done`,
 *   `response.completed` with usage.
 * Each turn of the conversation is scripted by a function of the request, because the CLI offers
 * its tools differently by model: in `body.tools` (`exec_command`, a shell where an
 * `apply_patch <<EOF` heredoc works) or as an `additional_tools` input item holding a JavaScript
 * tool named `exec` (`await tools.apply_patch(…)`). `toolCallFor` reads which one is offered.
 * Every request is recorded (headers and body) so tests can check what reached the model.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ResponsesRequest {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  /** The parsed JSON body. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- request bodies are free-form JSON that tests dig into.
  readonly body: any;
  /** The raw body text, for "this string never appears" checks. */
  readonly raw: string;
}

/** One output item the scripted model returns (a tool call or the final message). */
export type ResponseItem = Record<string, unknown>;

/** May return a promise: a turn that never settles stands for a model that is still thinking. */
export type ResponsesScript = (req: ResponsesRequest, turn: number) => ResponseItem | Promise<ResponseItem>;

export interface FakeResponsesApi {
  /** Ends in `/v1`, like OPENAI_BASE_URL. */
  readonly baseUrl: string;
  readonly requests: ResponsesRequest[];
  readonly upgrades: number;
  /** Requests that were not `POST /responses`. */
  readonly unexpected: string[];
  close(): Promise<void>;
}

let seq = 0;

export async function startFakeResponsesApi(script: ResponsesScript): Promise<FakeResponsesApi> {
  const requests: ResponsesRequest[] = [];
  const unexpected: string[] = [];
  let upgrades = 0;
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST' || !path.endsWith('/responses')) {
      unexpected.push(`${req.method} ${path}`);
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'not served by the fake Responses API' } }));
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      unexpected.push(`POST ${path} with a body that is not JSON`);
      res.writeHead(400).end();
      return;
    }
    const recorded: ResponsesRequest = { path, headers: req.headers, body, raw };
    requests.push(recorded);
    let item: ResponseItem;
    try {
      item = await script(recorded, requests.length);
    } catch (err) {
      unexpected.push(`script failed on turn ${requests.length}: ${(err as Error).message}`);
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: (err as Error).message } }));
      return;
    }
    const id = `resp_${++seq}`;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (event: Record<string, unknown>) => res.write(`event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`);
    send({ type: 'response.created', response: { id } });
    send({ type: 'response.output_item.done', output_index: 0, item });
    send({
      type: 'response.completed',
      response: { id, usage: { input_tokens: 100, input_tokens_details: { cached_tokens: 0 }, output_tokens: 20, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 120 } },
    });
    res.end();
  });
  server.on('upgrade', (_req, socket) => {
    upgrades++;
    socket.end('HTTP/1.1 426 Upgrade Required\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get upgrades() {
      return upgrades;
    },
    unexpected,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The tool outputs the CLI sent back in this request (results of the previous turn's calls). */
export function toolOutputsOf(req: ResponsesRequest): string[] {
  const input = (req.body?.input ?? []) as Record<string, unknown>[];
  return input
    .filter((i) => i.type === 'function_call_output' || i.type === 'custom_tool_call_output')
    .map((i) => (typeof i.output === 'string' ? i.output : JSON.stringify(i.output)));
}

/** The names of the tools the request offers, in `body.tools` and in `additional_tools` items. */
export function offeredTools(req: ResponsesRequest): string[] {
  const names: string[] = [];
  const walk = (tools: unknown) => {
    for (const t of (tools ?? []) as Record<string, unknown>[]) {
      if (typeof t.name === 'string') names.push(t.name);
      if (Array.isArray(t.tools)) walk(t.tools);
    }
  };
  walk(req.body?.tools);
  for (const item of (req.body?.input ?? []) as Record<string, unknown>[]) if (item.type === 'additional_tools') walk(item.tools);
  return names;
}

/**
 * A tool call running `shell` (a shell script) in the agent's sandbox, in whichever form the
 * request offers: `exec_command` as a function call, or the JavaScript `exec` tool calling it.
 */
export function shellCallFor(req: ResponsesRequest, shell: string): ResponseItem {
  const callId = `call_${++seq}`;
  const tools = offeredTools(req);
  if ((req.body?.tools ?? []).some((t: { name?: string }) => t.name === 'exec_command')) {
    return { type: 'function_call', id: `fc_${seq}`, call_id: callId, name: 'exec_command', arguments: JSON.stringify({ cmd: shell }) };
  }
  if (tools.includes('exec')) {
    return { type: 'custom_tool_call', id: `ctc_${seq}`, call_id: callId, name: 'exec', input: `const r = await tools.exec_command({ cmd: ${JSON.stringify(shell)} });\ntext(r);` };
  }
  throw new Error(`the request offers neither exec_command nor exec (tools: ${tools.join(', ')})`);
}

/** A tool call applying `patch` (`*** Begin Patch` … `*** End Patch`), in the offered form. */
export function patchCallFor(req: ResponsesRequest, patch: string): ResponseItem {
  const tools = offeredTools(req);
  if (!(req.body?.tools ?? []).some((t: { name?: string }) => t.name === 'exec_command') && tools.includes('exec')) {
    const callId = `call_${++seq}`;
    return { type: 'custom_tool_call', id: `ctc_${seq}`, call_id: callId, name: 'exec', input: `const r = await tools.apply_patch(${JSON.stringify(patch)});\ntext(r);` };
  }
  return shellCallFor(req, `apply_patch <<'PATCH'\n${patch}PATCH`);
}

/** The final assistant message that ends the turn. */
export function messageItem(text: string): ResponseItem {
  return { type: 'message', role: 'assistant', id: `msg_${++seq}`, content: [{ type: 'output_text', text }] };
}
