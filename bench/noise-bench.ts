/**
 * Noise of the proactive loop, end to end: the real scanners (todo, dependencies, ci, issues)
 * over a fixture repository with planted findings, a fake GitHub (a failing CI run) and a fake npm
 * registry (outdated packages), proposals in a file database, and cards posted by the real
 * WebClient to a fake Slack. Ten scans with nothing changed must propose each finding once and
 * re-post nothing; rejected findings stay silent through line moves and come back only when their
 * evidence (the comment's text) changes.
 *
 *   node dist-bench/bench/noise-bench.js     (after `npx tsc -p tsconfig.bench.json`)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildScanDeps } from '../src/app.js';
import { reposOf } from '../src/cli/runtime.js';
import { loadConfig } from '../src/config/load-config.js';
import { createLogger } from '../src/logging/logger.js';
import { decideProposal } from '../src/proposals/decide-proposal.js';
import type { Proposal } from '../src/proposals/types.js';
import { createScanRepository } from '../src/proposals/scan-repository.js';
import { proposalPolicy } from '../src/proactive-loop.js';
import { runScan } from '../src/scanners/run-scan.js';
import { createSlackPostersFromConfig } from '../src/slack/slack-posters.js';
import { openDatabase } from '../src/storage/database.js';
import { migrate, readMigrations } from '../src/storage/migrate.js';
import { createProposalStore } from '../src/storage/proposal-store.js';
import { startFakeGitHub } from '../test/harness/fake-github.js';
import { PLANTED_MARKERS, routeFailingCi } from '../test/harness/planted-repository.js';
import { startFakeNpmRegistry } from '../test/harness/fake-npm-registry.js';
import { startFakeSlack } from '../test/harness/fake-slack.js';

const TOKEN = 'ghp_benchbenchbenchbenchbenchbenchbench0';
const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@x', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@x', GIT_CONFIG_NOSYSTEM: '1' };

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, env: GIT_ENV, stdio: 'ignore' });
}

/** Planted findings: four comment markers, two outdated dependencies (a major and a minor). */
function plantRepository(dir: string): void {
  const files: Record<string, string> = {
    ...PLANTED_MARKERS,
    'package.json': `${JSON.stringify({ name: 'fixture', version: '1.0.0', dependencies: { express: '^3.0.0', lodash: '^4.16.0' } }, null, 2)}\n`,
    'package-lock.json': `${JSON.stringify(
      {
        name: 'fixture',
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: {
          '': { name: 'fixture', version: '1.0.0', dependencies: { express: '^3.0.0', lodash: '^4.16.0' } },
          'node_modules/express': { version: '3.21.2', resolved: 'http://127.0.0.1/express/-/express-3.21.2.tgz', integrity: 'sha512-AAAA' },
          'node_modules/lodash': { version: '4.16.0', resolved: 'http://127.0.0.1/lodash/-/lodash-4.16.0.tgz', integrity: 'sha512-AAAA' },
        },
      },
      null,
      2,
    )}\n`,
  };
  fs.mkdirSync(dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'fixture');
}

function commitEdit(dir: string, rel: string, edit: (s: string) => string, message: string): void {
  const file = path.join(dir, rel);
  fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
  git(dir, 'commit', '-q', '-am', message);
}

function formatTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export async function runNoiseBench(): Promise<void> {
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'teammate-noise-bench-')));
  const gh = await startFakeGitHub({ token: TOKEN });
  const registry = await startFakeNpmRegistry({
    packages: { express: { versions: ['3.21.2', '4.18.2', '4.21.2'] }, lodash: { versions: ['4.16.0', '4.17.21'] } },
  });
  const slack = await startFakeSlack();
  try {
    const config = loadConfig(
      {
        SLACK_BOT_TOKEN: 'xoxb-bench',
        SLACK_API_URL: slack.apiUrl,
        SLACK_APP_TOKEN: 'xapp-bench',
        GITHUB_TOKEN: TOKEN,
        GITHUB_API_URL: gh.apiUrl,
        TEAMMATE_NPM_REGISTRY: registry.url,
        TEAMMATE_REPOS: 'acme/widgets',
        TEAMMATE_DATA_DIR: tmp,
        TEAMMATE_DB: path.join(tmp, 'bench.db'),
        TEAMMATE_QUIET_HOURS: 'off',
        TEAMMATE_CARD_BUDGET: '50',
        TEAMMATE_TZ: 'UTC',
      },
      { cwd: tmp, homeDir: tmp },
    );
    const repo = reposOf(config)[0]!;
    plantRepository(repo.root);
    routeFailingCi(gh, { owner: 'acme', name: 'widgets' });

    const db = openDatabase(config.dbPath);
    // dist-bench/bench/ → the repository's migrations/ (the storage default resolves inside dist-bench).
    migrate(db, readMigrations(fileURLToPath(new URL('../../migrations/', import.meta.url))));
    const logger = createLogger({ level: 'silent' });
    const runtime = { config, logger, db };
    const deps = await buildScanDeps(runtime);
    const store = createProposalStore(db);
    let t = Date.UTC(2026, 11, 2, 10);
    const now = () => t;
    const slackPosters = createSlackPostersFromConfig(config.slack, [repo], logger, { retryConfig: { retries: 0 } });
    const postsPerProposal = new Map<number, number>();
    const scan = createScanRepository({
      scan: (r) => runScan(r, deps),
      store,
      policy: proposalPolicy(config),
      poster: {
        post: (channel: string, p: Proposal) => {
          postsPerProposal.set(p.id, (postsPerProposal.get(p.id) ?? 0) + 1);
          return slackPosters.cards.post(channel, p);
        },
      },
      now,
      logger,
    });
    const channel = 'C0BENCH0001';
    const rows: (string | number)[][] = [];
    const findingsSeen = new Set<string>();
    const cardMessages = () => slack.callsTo('chat.postMessage').length;
    const run = async (label: string, expectNew: string) => {
      const before = cardMessages();
      const r = await scan(repo, [channel]);
      const posted = cardMessages() - before;
      for (const p of store.listPending({ limit: 1000 })) findingsSeen.add(p.fingerprint);
      const reposts = [...postsPerProposal.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
      rows.push([label, r.findings, r.posted + r.deck, posted, r.known, reposts, expectNew]);
      t += 60 * 60_000;
      return r;
    };

    for (let i = 1; i <= 10; i++) await run(`scan ${i}${i === 1 ? '' : ', nothing changed'}`, i === 1 ? 'all' : '0');
    const distinct = store.listPending({ limit: 1000 }).length;
    const postedOnce = [...postsPerProposal.values()].every((n) => n === 1) && postsPerProposal.size === distinct;

    // Reject the TODO and the HACK; they must stay silent, also when their lines move.
    const pending = store.listPending({ limit: 1000 });
    const rejected = pending.filter((p) => /^(TODO|HACK) in /.test(p.title));
    for (const p of rejected) {
      await decideProposal({ proposalId: p.id, userId: 'U1', action: 'reject', surface: 'slack', reason: 'not now' }, { store, policy: { approvers: [], allowSelfApproval: false, executor: 'codex' }, now });
    }
    await run(`after rejecting ${rejected.length}`, '0');
    commitEdit(repo.root, 'src/server.ts', (s) => `// server\n\n${s}`, 'move the TODO down two lines');
    await run('rejected TODO moved 2 lines', '0');
    await run('again, nothing changed', '0');
    commitEdit(repo.root, 'src/server.ts', (s) => s.replace('close idle keep-alive sockets', 'close idle and half-open sockets'), 'reword the TODO');
    await run("rejected TODO's text changed", '1');
    await run('again, nothing changed', '0');
    db.close();

    const reposts = [...postsPerProposal.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
    process.stdout.write('noise: the proactive loop over a fixture with 4 comment markers, 2 outdated dependencies and a failing CI run\n');
    process.stdout.write(`${formatTable(['run', 'findings', 'new proposals', 'cards posted', 'known (silent)', 're-posts so far', 'expected new'], rows)}\n`);
    process.stdout.write(
      `distinct findings proposed: ${distinct}; each posted exactly once over 10 scans: ${postedOnce ? 'yes' : 'NO'}; re-posts: ${reposts} (anchor: 0); ` +
        `slack calls not understood by the fake: ${slack.unexpected.length}\n`,
    );
    if (findingsSeen.size === 0) process.stdout.write('warning: no findings at all — is git on PATH?\n');
  } finally {
    await Promise.all([gh.close(), registry.close(), slack.close()]);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// Run directly: node dist-bench/bench/noise-bench.js
if (process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href) {
  await runNoiseBench();
}
