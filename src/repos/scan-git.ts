/**
 * The scanners' read-only view of a git repository at HEAD (the RepoGit port). Everything reads
 * committed content, never the working tree, so evidence is exactly what a permalink shows.
 */
import { execFile, spawn } from 'node:child_process';
import { childProcessEnv } from '../logging/scrub.js';
import type { BlameLine, CommitInfo, RepoGit, TreeFile } from '../scanners/types.js';
import { GitError } from './git.js';

const MAX_BUFFER = 512 * 1024 * 1024;

/** Pathspecs per `git grep` call: keeps the command line far below ARG_MAX. */
const GREP_PATHS_PER_CALL = 2000;

export interface ScanGitOptions {
  /** Counts blob reads (files whose content the scanner read itself): the incremental re-scan test watches it. */
  readonly onBlobsRead?: (count: number) => void;
}

export function createScanGit(root: string, opts: ScanGitOptions = {}): RepoGit {
  const run = (args: readonly string[], okCodes: readonly number[] = [0]) => runGit(root, args, okCodes);
  return {
    async head() {
      // 1: no commits yet; 128: not a git repository at all.
      const { stdout, code } = await run(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], [0, 1, 128]);
      return code === 0 ? stdout.trim() : undefined;
    },
    async listFiles() {
      const { stdout } = await run(['ls-tree', '-r', '-l', '-z', '--full-tree', 'HEAD']);
      const files: TreeFile[] = [];
      for (const entry of stdout.split('\0')) {
        if (!entry) continue;
        const tab = entry.indexOf('\t');
        const [mode, type, blob, size] = entry.slice(0, tab).split(/\s+/);
        // Symlinks (120000) and submodules (160000) are not files we read.
        if (type !== 'blob' || (mode !== '100644' && mode !== '100755') || !blob) continue;
        files.push({ path: entry.slice(tab + 1), blob, size: Number(size) });
      }
      return files;
    },
    async changedFiles(since) {
      const { stdout } = await run(['diff', '--raw', '-z', '--no-renames', '--no-abbrev', '--no-ext-diff', since, 'HEAD', '--']);
      // ":<old mode> <new mode> <old sha> <new sha> <status>\0<path>\0" per file.
      const parts = stdout.split('\0');
      const changes: { path: string; blob?: string }[] = [];
      for (let i = 0; i + 1 < parts.length; i += 2) {
        const [, newMode, , newSha, status] = parts[i]!.slice(1).split(' ');
        const path = parts[i + 1]!;
        const regular = status !== 'D' && (newMode === '100644' || newMode === '100755');
        changes.push(regular ? { path, blob: newSha } : { path });
      }
      return changes;
    },
    async readBlobs(blobs) {
      const out = await catFileBatch(root, blobs);
      opts.onBlobsRead?.(out.size);
      return out;
    },
    async readFile(path, commit = 'HEAD') {
      const { stdout, code } = await run(['cat-file', '-p', `${commit}:${path}`], [0, 128]);
      return code === 0 ? stdout : undefined;
    },
    async grepFiles(pattern, candidates) {
      const base = ['grep', '-l', '-I', '-E', '--full-name', pattern, 'HEAD', '--'];
      const chunks: (readonly string[])[] = [];
      if (candidates === undefined) chunks.push([]);
      else for (let i = 0; i < candidates.length; i += GREP_PATHS_PER_CALL) chunks.push(candidates.slice(i, i + GREP_PATHS_PER_CALL));
      const found: string[] = [];
      for (const chunk of chunks) {
        if (candidates !== undefined && chunk.length === 0) continue;
        // exit 1 means "no match", not an error.
        const { stdout } = await run([...base, ...chunk.map((p) => `:(literal)${p}`)], [0, 1]);
        for (const line of stdout.split('\n')) if (line) found.push(line.replace(/^HEAD:/, ''));
      }
      return found;
    },
    async blame(path, lines) {
      const result = new Map<number, BlameLine>();
      if (lines.length === 0) return result;
      const ranges = [...new Set(lines)].sort((a, b) => a - b).flatMap((l) => ['-L', `${l},${l}`]);
      const { stdout } = await run(['blame', '--porcelain', ...ranges, 'HEAD', '--', path]);
      return parseBlamePorcelain(stdout);
    },
    async commitsSince(since, limit) {
      const range = since ? ['HEAD', `^${since}`] : ['HEAD'];
      const { stdout } = await run(['log', '--no-merges', `-n${limit}`, '--format=%H%x1f%an%x1f%at%x1f%s', ...range, '--']);
      return stdout
        .split('\n')
        .filter(Boolean)
        .map((l): CommitInfo => {
          const [sha = '', author = '', at = '0', subject = ''] = l.split('\x1f');
          return { sha, author, authoredAt: new Date(Number(at) * 1000), subject };
        });
    },
    async commitDiff(commit) {
      const { stdout } = await run(['show', '--format=', '--no-color', '--no-ext-diff', '--unified=3', '-M', commit, '--']);
      return stdout;
    },
    async hasCommit(commit) {
      if (!/^[0-9a-f]{7,64}$/i.test(commit)) return false;
      const { code } = await run(['cat-file', '-e', `${commit}^{commit}`], [0, 1, 128]);
      return code === 0;
    },
  };
}

/** `git blame --porcelain` → final line number → commit, author, author time. */
export function parseBlamePorcelain(text: string): Map<number, BlameLine> {
  const commits = new Map<string, { author: string; time: number }>();
  const result = new Map<number, BlameLine>();
  let current: { sha: string; line: number } | undefined;
  for (const line of text.split('\n')) {
    const header = /^([0-9a-f]{40,64}) \d+ (\d+)(?: \d+)?$/.exec(line);
    if (header) {
      current = { sha: header[1]!, line: Number(header[2]) };
      if (!commits.has(current.sha)) commits.set(current.sha, { author: '', time: 0 });
      continue;
    }
    if (!current) continue;
    const info = commits.get(current.sha)!;
    if (line.startsWith('author ')) info.author = line.slice(7);
    else if (line.startsWith('author-time ')) info.time = Number(line.slice(12));
    else if (line.startsWith('\t')) {
      result.set(current.line, { commit: current.sha, author: info.author, authoredAt: new Date(info.time * 1000) });
      current = undefined;
    }
  }
  return result;
}

function runGit(root: string, args: readonly string[], okCodes: readonly number[]): Promise<{ stdout: string; code: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args as string[],
      { cwd: root, maxBuffer: MAX_BUFFER, encoding: 'utf8', env: childProcessEnv(process.env, { GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' }) },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
        if (okCodes.includes(code)) resolve({ stdout, code });
        else reject(new GitError(`git ${args[0]} failed in ${root}: ${(stderr || (err as Error).message).trim().split('\n').slice(-3).join(' ')}`));
      },
    );
  });
}

/** Reads many blobs through one `git cat-file --batch` process. */
function catFileBatch(root: string, blobs: readonly string[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const wanted = [...new Set(blobs)];
  if (wanted.length === 0) return Promise.resolve(out);
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], {
      cwd: root,
      env: childProcessEnv(process.env, { GIT_TERMINAL_PROMPT: '0' }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let buf: Buffer = Buffer.alloc(0);
    let stderr = '';
    const consume = () => {
      for (;;) {
        const nl = buf.indexOf(0x0a);
        if (nl < 0) return;
        const header = buf.subarray(0, nl).toString('utf8');
        const missing = /^(\S+) missing$/.exec(header);
        if (missing) {
          buf = buf.subarray(nl + 1);
          continue;
        }
        const m = /^([0-9a-f]+) (\w+) (\d+)$/.exec(header);
        if (!m) {
          reject(new GitError(`git cat-file: unexpected output "${header.slice(0, 80)}"`));
          child.kill();
          return;
        }
        const size = Number(m[3]);
        if (buf.length < nl + 1 + size + 1) return;
        out.set(m[1]!, Buffer.from(buf.subarray(nl + 1, nl + 1 + size)));
        buf = buf.subarray(nl + 1 + size + 1);
      }
    };
    child.stdout.on('data', (d: Buffer) => {
      buf = buf.length === 0 ? d : Buffer.concat([buf, d]);
      consume();
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new GitError(`git cat-file failed in ${root}: ${stderr.trim().slice(0, 300)}`));
    });
    child.stdin.on('error', () => {
      /* the close handler reports the failure */
    });
    child.stdin.end(`${wanted.join('\n')}\n`);
  });
}
