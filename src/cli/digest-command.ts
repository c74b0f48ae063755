import type { Command } from 'commander';
import { buildDigest } from '../digests/build-digest.js';
import { renderDigestText } from '../digests/render-digest-text.js';
import { pausedScannersOf } from '../scanners/scan-state.js';
import { createDigestQueries } from '../storage/digest-queries.js';
import { createScanStateStore } from '../storage/scan-state-store.js';
import { type GlobalOptions, openRuntime } from './runtime.js';

interface DigestFlags {
  readonly json?: boolean;
  readonly days?: string;
  readonly channel?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function registerDigestCommand(program: Command): void {
  program
    .command('digest')
    .description('print the digest of the last days (proposals, decisions, tasks, questions) without posting to Slack')
    .option('--json', 'print the digest as JSON (null when there is nothing to say)')
    .option('--days <n>', 'how many days back the period starts (the default digest is weekly)', '7')
    .option('--channel <id>', 'count answers of this Slack channel only')
    .action(async (flags: DigestFlags, cmd: Command) => {
      const days = Number(flags.days ?? '7');
      if (!Number.isFinite(days) || days <= 0) {
        process.stderr.write('teammate digest: --days must be a positive number\n');
        process.exitCode = 2;
        return;
      }
      const runtime = openRuntime(cmd.optsWithGlobals<GlobalOptions>());
      try {
        const now = Date.now();
        const digest = await buildDigest(
          { from: now - days * DAY_MS, to: now, channel: flags.channel },
          { queries: createDigestQueries(runtime.db), pausedScanners: pausedScannersOf(createScanStateStore(runtime.db)) },
        );
        if (flags.json) process.stdout.write(`${JSON.stringify(digest ?? null, null, 2)}\n`);
        else process.stdout.write(digest ? renderDigestText(digest) : `nothing to report for the last ${days} day${days === 1 ? '' : 's'}\n`);
      } finally {
        runtime.close();
      }
    });
}
