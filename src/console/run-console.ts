import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { answerAndRecord } from '../qa/answer-in-conversation.js';
import type { AnswerStore } from '../qa/ports.js';
import type { Answer, AnswerQuestion, ConversationTurn, Question } from '../qa/types.js';
import type { Repository } from '../repos/repository.js';
import { scrubSecrets } from '../logging/scrub.js';
import { markdownToText } from './render-text.js';
import { type CardReview, type ConsoleCards, reviewCards } from './review-cards.js';

export interface ConsoleOptions {
  readonly input: Readable;
  readonly output: Writable;
  /** Progress and status lines; stderr in the CLI so piped stdout holds only answers. */
  readonly status: Writable;
  readonly interactive: boolean;
  readonly repos: readonly Repository[];
  readonly answerQuestion: AnswerQuestion;
  /** Shown in the banner: "model gpt-4.1-mini" or "extractive (no OPENAI_API_KEY)". */
  readonly modeLabel: string;
  /** Where answers are recorded (surface `console`), like Slack's; none: not recorded. */
  readonly answers?: AnswerStore;
  /** Proposal cards for `/cards`; none: the command says it is not available. */
  readonly cards?: ConsoleCards;
}

const HELP = `Ask anything about the code, e.g. "where is the configuration loaded?".
Follow-up questions keep the conversation's context.
  /repo NAME   switch repository      /new   start a new conversation
  /cards       decide on proposal cards (a/r/s/n keys)
  /help        this help              /quit  leave (or Ctrl-D)`;

/** How many earlier turns follow-ups carry, like a Slack thread's bounded history. */
const MAX_HISTORY_TURNS = 12;

/**
 * The terminal adapter: the same answerQuestion use case as Slack, rendered as text. Reads one
 * question per line; with piped stdin it answers every line and resolves at EOF.
 */
export async function runConsole(opts: ConsoleOptions): Promise<void> {
  const { output, status } = opts;
  let repo = opts.repos[0]!;
  let history: ConversationTurn[] = [];
  /** Set while `/cards` is on: every line is a key for the deck. */
  let deck: CardReview | undefined;
  const rl = readline.createInterface({ input: opts.input, output: opts.interactive ? output : undefined, terminal: opts.interactive });
  const prompt = () => {
    if (opts.interactive) rl.prompt();
  };

  if (opts.interactive) {
    output.write(`Teammate console on ${repo.label} · ${opts.modeLabel}\n${HELP}\n\n`);
    rl.setPrompt('you> ');
  }
  prompt();

  for await (const raw of rl) {
    const line = raw.trim();
    if (line === '') {
      prompt();
      continue;
    }
    if (line === '/quit' || line === '/exit') break;
    if (deck) {
      const r = await deck.key(line).catch((err: Error) => ({ text: `Sorry, that failed: ${err.message}\n`, done: false }));
      output.write(r.text);
      if (r.done) deck = undefined;
      prompt();
      continue;
    }
    if (line === '/cards') {
      if (opts.cards) {
        deck = reviewCards(opts.cards, opts.repos);
        output.write(deck.start());
      } else {
        output.write('Proposal cards are not available here (no database).\n');
      }
      prompt();
      continue;
    }
    if (line === '/help') {
      output.write(`${HELP}\n`);
      prompt();
      continue;
    }
    if (line === '/new') {
      history = [];
      output.write('(new conversation)\n');
      prompt();
      continue;
    }
    if (line.startsWith('/repo')) {
      const name = line.slice(5).trim();
      const next = opts.repos.find((r) => r.label === name || r.id === name);
      if (next) {
        repo = next;
        history = [];
        output.write(`(now on ${repo.label})\n`);
      } else {
        output.write(`Unknown repository "${name}". Configured: ${opts.repos.map((r) => r.label).join(', ')}\n`);
      }
      prompt();
      continue;
    }

    const question: Question = {
      repo,
      text: line,
      history,
      // Progress quotes model-chosen text; whatever is printed is scrubbed, like what is posted.
      onProgress: (s) => status.write(opts.interactive ? `\r\x1b[2K… ${scrubSecrets(s)}` : `… ${scrubSecrets(s)}\n`),
    };
    const answers = opts.answers;
    const ask = (): Promise<Answer> =>
      answers
        ? answerAndRecord({ answerQuestion: opts.answerQuestion, answers }, question, { surface: 'console' }).then((r) => r.answer)
        : opts.answerQuestion(question);
    const answer = await ask().catch((err: Error) => ({ text: `Sorry, I couldn't answer: ${err.message}`, citations: [], mode: 'extractive' as const, note: undefined }));
    if (opts.interactive) status.write('\r\x1b[2K');
    output.write(`\n${markdownToText(scrubSecrets(answer.text)).trimEnd()}\n`);
    if (answer.note) output.write(`\n(${answer.note})\n`);
    output.write('\n');
    history = [...history, { role: 'user' as const, text: line }, { role: 'assistant' as const, text: answer.text }].slice(-MAX_HISTORY_TURNS);
    prompt();
  }
  rl.close();
}
