import type { Command } from 'commander';
import { markdownToText } from '../console/render-text.js';
import { scrubSecrets } from '../logging/scrub.js';
import { buildServices } from '../app.js';
import type { Answer } from '../qa/types.js';
import { formatSummary, indexWithProgress, withRepoRuntime } from './index-command.js';
import type { GlobalOptions } from './runtime.js';

interface AskFlags {
  readonly json?: boolean;
}

/**
 * What `--json` prints: stable field names for scripts and evaluations. `answer` is Markdown;
 * a citation has a `url` only when it is a real permalink (GitHub repositories).
 */
export function answerToJson(answer: Answer): Record<string, unknown> {
  return {
    answer: scrubSecrets(answer.text),
    citations: answer.citations.map((c) => ({ path: c.path, startLine: c.startLine, endLine: c.endLine, ...(c.url ? { url: c.url } : {}) })),
    mode: answer.mode,
    ...(answer.note ? { note: answer.note } : {}),
  };
}

/** The answer for a terminal: plain text, links as `label (url)`, the degraded-mode note last. */
export function answerToText(answer: Answer): string {
  const body = markdownToText(scrubSecrets(answer.text)).trimEnd();
  return answer.note ? `${body}\n\n(${answer.note})\n` : `${body}\n`;
}

export function registerAskCommand(program: Command): void {
  program
    .command('ask')
    .description('answer one question about the code (brings the index up to date first)')
    .argument('[question...]', 'the question, e.g. "where is the configuration loaded?"')
    .option('--json', 'print {answer (Markdown), citations:[{path,startLine,endLine,url?}], mode, note} on stdout')
    .action(async (words: string[], flags: AskFlags, cmd: Command) => {
      const question = words.join(' ').trim();
      if (question === '') {
        process.stderr.write('teammate ask: give a QUESTION\n');
        process.exitCode = 2;
        return;
      }
      await withRepoRuntime(cmd.optsWithGlobals<GlobalOptions>(), async (runtime, repo) => {
        const { refresh, answerQuestion } = buildServices(runtime);
        // Always refresh: only changed files are re-read, and an answer about code edited a minute
        // ago must not quote the old version.
        const summary = await indexWithProgress({ index: refresh }, repo);
        if (!flags.json || summary.indexedFiles > 0) process.stderr.write(`${formatSummary(repo, summary)}\n`);
        // Live status only for a person watching; scripts reading --json get a quiet stderr.
        const showProgress = process.stderr.isTTY && !flags.json;
        const answer = await answerQuestion({
          repo,
          text: question,
          ...(showProgress ? { onProgress: (s: string) => process.stderr.write(`\r\x1b[2K… ${scrubSecrets(s)}`) } : {}),
        });
        if (showProgress) process.stderr.write('\r\x1b[2K');
        process.stdout.write(flags.json ? `${JSON.stringify(answerToJson(answer), null, 2)}\n` : answerToText(answer));
      });
    });
}
