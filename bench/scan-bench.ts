/**
 * Scan speed of the todo scanner on a large repository, beside `git grep` for the same markers:
 * the first scan (every file with a marker read and blamed), a re-scan after a 10-file commit
 * (goal < 1 s: only the changed files are read), and a re-scan with nothing changed.
 *
 *   BENCH_LARGE_REPO  a git repository (working tree or bare) with ≥ 10k files; default /tmp/bigrepo.
 *                     It is cloned (shared objects) under BENCH_CACHE_DIR and reset to its HEAD each run:
 *                     the bench commits in that clone, never in yours.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../src/logging/logger.js';
import { createScanGit } from '../src/repos/scan-git.js';
import { runScan, type ScanDeps } from '../src/scanners/run-scan.js';
import { createTodoScanner } from '../src/scanners/todo/todo-scanner.js';
import { openDatabase } from '../src/storage/database.js';
import { migrate, readMigrations } from '../src/storage/migrate.js';
import { createScanStateStore } from '../src/storage/scan-state-store.js';

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@x', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@x' };

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** A plain-text table (kept here so this file does not depend on where the other benches keep theirs). */
function formatTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cell = (c: string | number) => (typeof c === 'number' ? (Number.isInteger(c) ? String(c) : c >= 10 ? c.toFixed(1) : c.toFixed(3)) : c);
  const cells = [headers, ...rows.map((r) => r.map(cell))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export async function runScanBench(): Promise<void> {
  const source = process.env.BENCH_LARGE_REPO ?? '/tmp/bigrepo';
  if (!fs.existsSync(source)) {
    process.stdout.write(`scan: ${source} not found; set BENCH_LARGE_REPO to a large git repository\n`);
    return;
  }
  const cacheDir = process.env.BENCH_CACHE_DIR ?? path.join(os.tmpdir(), 'teammate-bench-cache');
  const dir = path.join(cacheDir, `scan-bench-${path.basename(path.resolve(source).replace(/\/(\.git|repo)$/, ''))}`);
  if (!fs.existsSync(path.join(dir, '.git'))) {
    fs.mkdirSync(cacheDir, { recursive: true });
    execFileSync('git', ['clone', '--quiet', '--shared', source, dir], { env: GIT_ENV });
  }
  // Back to the source's HEAD: the previous run's bench commit is dropped.
  git(dir, 'reset', '-q', '--hard', 'origin/HEAD');
  git(dir, 'clean', '-qfdx');
  {
    const files = git(dir, 'ls-files').split('\n').filter(Boolean);
    const label = `${path.basename(source.replace(/\/(\.git|repo)\/?$/, ''))} (${files.length} files)`;

    const grep = () => {
      const t = process.hrtime.bigint();
      let out = '';
      try {
        out = git(dir, 'grep', '-n', '-I', '-E', 'TODO|FIXME|HACK|XXX', 'HEAD');
      } catch {
        /* exit 1: no match */
      }
      return { s: seconds(t), lines: out.split('\n').filter(Boolean).length };
    };

    const db = openDatabase(':memory:');
    // dist-bench/bench/ → the repository's migrations/ (the storage default resolves inside dist-bench).
    migrate(db, readMigrations(fileURLToPath(new URL('../../migrations/', import.meta.url))));
    let blobsRead = 0;
    const deps: ScanDeps = {
      scanners: [createTodoScanner()],
      state: createScanStateStore(db),
      gitFor: (repo) => createScanGit(repo.root, { onBlobsRead: (n) => (blobsRead += n) }),
      logger: createLogger({ level: 'silent' }),
    };
    const repo = { id: dir, root: dir, label };
    const scan = async () => {
      const before = blobsRead;
      const t = process.hrtime.bigint();
      const report = await runScan(repo, deps);
      const outcome = report.outcomes[0];
      if (outcome?.status !== 'ok') throw new Error(`todo scan ${outcome?.status}: ${outcome?.reason}`);
      return { s: seconds(t), findings: report.findings.length, read: blobsRead - before };
    };

    const rows: (string | number)[][] = [];
    const grep1 = grep();
    const first = await scan();
    rows.push(['first scan', first.s, first.read, first.findings, grep1.s, `${grep1.lines} matching lines`]);

    // A 10-file commit: 5 files get a new TODO, 5 an ordinary line.
    const candidates = files.filter((f) => /\.(js|ts|mjs|cjs)$/.test(f) && !/(^|\/)(fixtures?|test|node_modules)\//.test(f)).slice(0, 10);
    candidates.forEach((f, i) => fs.appendFileSync(path.join(dir, f), i < 5 ? `\n// TODO: bench marker ${i}: handle the empty case here\n` : `\nexport const benchLine${i} = ${i};\n`));
    git(dir, 'commit', '-qam', 'bench: touch 10 files');
    const grep2 = grep();
    const rescan = await scan();
    rows.push([`re-scan after a ${candidates.length}-file commit`, rescan.s, rescan.read, rescan.findings, grep2.s, 'goal < 1 s']);

    const grep3 = grep();
    const idle = await scan();
    rows.push(['re-scan, nothing changed', idle.s, idle.read, idle.findings, grep3.s, '']);
    db.close();

    process.stdout.write(`todo scanner on ${label}\n`);
    process.stdout.write(`${formatTable(['run', 'teammate s', 'files read', 'findings', 'git grep s (anchor)', 'note'], rows)}\n`);
  }
}

// Run directly: node dist-bench/bench/scan-bench.js
if (process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href) {
  await runScanBench();
}
