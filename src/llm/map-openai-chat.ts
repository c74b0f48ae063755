import type {
  ChatCompletion,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { ChatMessage, ChatResponse, ToolCall, ToolSpec } from './types.js';

/** Our port's messages → Chat Completions messages (snake_case, tool calls as `function` calls). */
export function toOpenAIMessages(messages: readonly ChatMessage[]): ChatCompletionMessageParam[] {
  return messages.map((m): ChatCompletionMessageParam => {
    if (m.role === 'system' || m.role === 'user') return { role: m.role, content: m.content };
    if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
    if (m.toolCalls && m.toolCalls.length > 0) {
      return {
        role: 'assistant',
        content: m.content,
        tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
      };
    }
    return { role: 'assistant', content: m.content ?? '' };
  });
}

export function toOpenAITools(tools: readonly ToolSpec[]): ChatCompletionFunctionTool[] {
  return tools.map((t) => ({
    type: 'function',
    function: { name: t.name, description: t.description, parameters: t.parameters },
  }));
}

/**
 * The first choice back into our port's shape. Custom (non-function) tool calls are ignored: we
 * never declare any. Missing ids (some local servers omit them) get a stable synthetic one so the
 * tool result can still be paired with its call.
 */
export function fromOpenAICompletion(completion: ChatCompletion): ChatResponse | undefined {
  const choice = completion.choices?.[0];
  if (!choice?.message) return undefined;
  const toolCalls: ToolCall[] = [];
  for (const [i, call] of (choice.message.tool_calls ?? []).entries()) {
    if (call.type !== 'function' || !call.function) continue;
    toolCalls.push({ id: call.id || `call_${i}`, name: call.function.name, arguments: call.function.arguments ?? '' });
  }
  const usage = completion.usage
    ? { promptTokens: completion.usage.prompt_tokens ?? 0, completionTokens: completion.usage.completion_tokens ?? 0 }
    : undefined;
  return {
    content: choice.message.content ?? null,
    toolCalls,
    finishReason: choice.finish_reason ?? null,
    ...(usage ? { usage } : {}),
  };
}
