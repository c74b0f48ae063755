/**
 * `teammate console` → `/cards` as a user runs it: the built binary, keys piped on stdin, a real
 * git repository scanned for TODOs; then `teammate tasks --json` lists the one task the key queued.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { reposOf } from '../../src/cli/runtime.js';
import { loadConfig } from '../../src/config/load-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { createScanGit } from '../../src/repos/scan-git.js';
import { runScan } from '../../src/scanners/run-scan.js';
import { createTodoScanner } from '../../src/scanners/todo/todo-scanner.js';
import { openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { createProposalStore } from '../../src/storage/proposal-store.js';
import { createScanStateStore } from '../../src/storage/scan-state-store.js';
import { runCli } from '../harness/cli.js';
import { gitIn, makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('teammate console /cards (built binary)', () => {
  it('approves with a, skips with n, and a TODO already gone on HEAD turns stale', async () => {
    const temp = makeTempDir('teammate-console-cards-');
    cleanups.push(temp.cleanup);
    const root = path.join(temp.dir, 'repo');
    makeGitRepo(root, {
      'src/a.ts': '// FIXME: the upload never retries\nexport const a = 1;\n',
      'src/b.ts': '// TODO: cache the token\nexport const b = 2;\n',
    });
    const file = path.join(temp.dir, 'teammate.db');
    const db = openDatabase(file);
    migrate(db);
    const repo = reposOf(loadConfig({ TEAMMATE_REPOS: root, TEAMMATE_DATA_DIR: temp.dir }, { cwd: temp.dir }))[0]!;
    const report = await runScan(repo, { scanners: [createTodoScanner()], state: createScanStateStore(db), gitFor: (r) => createScanGit(r.root), logger: silentLogger() });
    const store = createProposalStore(db);
    const ids = store.upsertFromFindings(report.findings, { repoId: repo.id, now: Date.now() }).map((r) => r.proposal.id);
    expect(ids).toHaveLength(2);
    const first = store.listPending()[0]!;
    const second = store.listPending()[1]!;
    db.close();
    // The second card's TODO is fixed on main before anyone decides.
    gitIn(root, 'rm', '-q', second.finding.evidence[0]!.path!);
    gitIn(root, 'commit', '-q', '-m', 'done');

    const env = { TEAMMATE_DATA_DIR: temp.dir, TEAMMATE_CONSOLE_USER: 'UCLI' };
    const r = await runCli(['console', '--repo', root, '--db', file], { env, cwd: temp.dir, input: '/cards\nn\na\na\nq\n', timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('— card 1 of 2 —');
    expect(r.stdout).toContain('— card 2 of 2 —');
    expect(r.stdout).toContain(`#${second.id} is stale: already resolved on main. Nothing queued.`);
    expect(r.stdout).toMatch(new RegExp(`Approved #${first.id} — queued as task #\\d+\\.`));
    expect(r.stdout).toContain('Nothing is waiting for a decision.');

    const tasks = await runCli(['tasks', '--json', '--db', file], { env, cwd: temp.dir });
    expect(JSON.parse(tasks.stdout)).toMatchObject([{ proposalId: first.id, status: 'queued', executor: 'codex' }]);
    const check = openDatabase(file);
    cleanups.push(() => check.close());
    expect(check.prepare('SELECT proposal_id, user_id, surface, to_state FROM decisions ORDER BY id').all()).toEqual([
      { proposal_id: second.id, user_id: 'UCLI', surface: 'console', to_state: 'stale' },
      { proposal_id: first.id, user_id: 'UCLI', surface: 'console', to_state: 'approved' },
    ]);
  });
});
