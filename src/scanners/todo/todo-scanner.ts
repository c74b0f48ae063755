/**
 * todo: TODO / FIXME / HACK / XXX comments in source, with who wrote them and when (git blame).
 *
 * Incremental: the state keeps, per file that had markers, its blob id and its TODOs (blame
 * included). A re-scan asks git which files changed since the last scanned commit and reads only
 * those; the TODOs of every other file come from the state as they were.
 */
import { scrubSecrets } from '../../logging/scrub.js';
import type { Repository } from '../../repos/repository.js';
import { looksBinary, MAX_FILE_BYTES, skipReasonForContent, skipReasonForPath } from '../../search/file-filter.js';
import type { Finding, Severity } from '../finding.js';
import { fingerprintOf } from '../fingerprint.js';
import { truncate } from '../truncate.js';
import { type Scanner, type ScanContext, ScanSkipped } from '../types.js';
import { findTodos, specificityOf, TODO_GREP_PATTERN, type TodoMarker } from './find-todos.js';

const STATE_VERSION = 1;
/** Above this many changed files one `git grep` over them is cheaper than reading each. */
const GREP_FIRST_ABOVE = 200;
const BLAME_CONCURRENCY = 4;
const DAY_MS = 86_400_000;

interface CachedTodo {
  readonly marker: TodoMarker;
  readonly line: number;
  readonly endLine: number;
  readonly text: string;
  readonly excerpt: string;
  readonly fingerprint: string;
  readonly author?: string;
  /** Epoch ms of the blamed commit's author time. */
  readonly authoredAt?: number;
  readonly commit?: string;
}

interface TodoState {
  readonly v: number;
  readonly files: Record<string, { readonly blob: string; readonly todos: readonly CachedTodo[] }>;
}

/** Paths whose content is test data rather than code somebody maintains (babel has thousands). */
const FIXTURE_DIR = /(^|\/)(fixtures?|__fixtures__|testdata|__snapshots__)\//;

/** Why the todo scanner does not read a path, or undefined to read it. */
export function todoSkipReason(path: string, size: number): string | undefined {
  if (size > MAX_FILE_BYTES) return 'large';
  if (FIXTURE_DIR.test(path)) return 'fixture';
  return skipReasonForPath(path);
}

export function createTodoScanner(): Scanner {
  return {
    name: 'todo',
    description: 'TODO / FIXME / HACK / XXX comments, oldest and most specific first, with git blame author and age',
    async scan(repo, ctx) {
      const head = await ctx.git.head();
      if (!head) throw new ScanSkipped('not a git repository, or no commits yet');
      const previous = readState(ctx.state.data);
      const base = previous && ctx.state.lastCommit && (await ctx.git.hasCommit(ctx.state.lastCommit)) ? ctx.state.lastCommit : undefined;
      const files: Record<string, { blob: string; todos: readonly CachedTodo[] }> = base && previous ? { ...previous.files } : {};

      // Which files to read: those changed since the last scan, or (first scan) every file with a marker.
      let toRead: { path: string; blob: string }[];
      if (base) {
        const changes = await ctx.git.changedFiles(base);
        for (const c of changes) delete files[c.path];
        toRead = changes.filter((c): c is { path: string; blob: string } => c.blob !== undefined && todoSkipReason(c.path, 0) === undefined);
        if (toRead.length > GREP_FIRST_ABOVE) {
          const hits = new Set(await ctx.git.grepFiles(TODO_GREP_PATTERN, toRead.map((c) => c.path)));
          toRead = toRead.filter((c) => hits.has(c.path));
        }
      } else {
        const tree = (await ctx.git.listFiles()).filter((f) => todoSkipReason(f.path, f.size) === undefined);
        const hits = new Set(await ctx.git.grepFiles(TODO_GREP_PATTERN));
        toRead = tree.filter((f) => hits.has(f.path));
      }
      ctx.signal.throwIfAborted();

      const blobs = await ctx.git.readBlobs(toRead.map((f) => f.blob));
      const blameQueue: { path: string; todos: CachedTodo[] }[] = [];
      for (const f of toRead) {
        const buf = blobs.get(f.blob);
        if (!buf || buf.length > MAX_FILE_BYTES || looksBinary(buf)) continue;
        const text = buf.toString('utf8');
        if (skipReasonForContent(text)) continue;
        const found = findTodos(text);
        if (found.length === 0) continue;
        const reusable = new Map((previous?.files[f.path]?.todos ?? []).map((t) => [t.fingerprint, t]));
        const seen = new Map<string, number>();
        const todos: CachedTodo[] = found.map((t) => {
          const key = `${t.marker} ${t.text}`;
          const occurrence = seen.get(key) ?? 0;
          seen.set(key, occurrence + 1);
          const fingerprint = fingerprintOf('todo', f.path, key, occurrence);
          // An unchanged TODO line keeps its blame: reuse it instead of asking git again.
          const old = reusable.get(fingerprint);
          return { marker: t.marker, line: t.line, endLine: t.endLine, text: scrubSecrets(t.text), excerpt: scrubSecrets(t.excerpt).slice(0, 600), fingerprint, author: old?.author, authoredAt: old?.authoredAt, commit: old?.commit };
        });
        files[f.path] = { blob: f.blob, todos };
        if (todos.some((t) => t.commit === undefined)) blameQueue.push({ path: f.path, todos });
      }
      await blameAll(ctx, blameQueue);

      ctx.state.setData({ v: STATE_VERSION, files } satisfies TodoState);
      const all = Object.entries(files).flatMap(([path, entry]) => entry.todos.map((t) => toFinding(repo, path, t, head, ctx.clock.now())));
      return rankTodos(all).slice(0, ctx.settings.thresholds.todoLimit);
    },
    async recheck(finding, _repo, ctx) {
      const path = finding.evidence[0]?.path;
      if (!path) return false;
      const text = await ctx.git.readFile(path);
      if (text === undefined) return false;
      const seen = new Map<string, number>();
      return findTodos(text).some((t) => {
        const key = `${t.marker} ${t.text}`;
        const occurrence = seen.get(key) ?? 0;
        seen.set(key, occurrence + 1);
        return fingerprintOf('todo', path, key, occurrence) === finding.fingerprint;
      });
    },
  };
}

function readState(data: unknown): TodoState | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const s = data as Partial<TodoState>;
  return s.v === STATE_VERSION && typeof s.files === 'object' && s.files !== null ? (s as TodoState) : undefined;
}

/** Blames the lines still missing an author, a few files at a time. */
async function blameAll(ctx: ScanContext, queue: { path: string; todos: CachedTodo[] }[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      ctx.signal.throwIfAborted();
      const item = queue[next++]!;
      const missing = item.todos.filter((t) => t.commit === undefined);
      let blamed: Awaited<ReturnType<ScanContext['git']['blame']>>;
      try {
        blamed = await ctx.git.blame(item.path, missing.map((t) => t.line));
      } catch (err) {
        // Blame is colour, not the finding: a TODO without an author is still a TODO.
        ctx.logger.warn({ path: item.path, err }, 'git blame failed; listing the TODOs without author');
        continue;
      }
      for (let i = 0; i < item.todos.length; i++) {
        const t = item.todos[i]!;
        const b = t.commit === undefined ? blamed.get(t.line) : undefined;
        if (b) item.todos[i] = { ...t, author: b.author, authoredAt: b.authoredAt.getTime(), commit: b.commit };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BLAME_CONCURRENCY, queue.length) }, worker));
}

const MARKER_SEVERITY: Record<TodoMarker, Severity> = { FIXME: 'medium', XXX: 'medium', HACK: 'low', TODO: 'low' };
const MARKER_WEIGHT: Record<TodoMarker, number> = { FIXME: 3, XXX: 2, HACK: 1, TODO: 0 };

function toFinding(repo: Repository, path: string, t: CachedTodo, head: string, now: Date): Finding {
  const specificity = specificityOf(t.text);
  const ageDays = t.authoredAt === undefined ? undefined : Math.max(0, Math.floor((now.getTime() - t.authoredAt) / DAY_MS));
  const what = t.text || `(no description)`;
  const who = t.author ? ` by ${t.author}` : '';
  const when = ageDays === undefined ? '' : `, ${ageDays} day${ageDays === 1 ? '' : 's'} old`;
  return {
    scanner: 'todo',
    rule: `todo.${t.marker.toLowerCase()}`,
    title: truncate(`${t.marker} in ${path}: ${what}`, 150),
    summary:
      `A \`${t.marker}\` comment at \`${path}:${t.line}\`${who}${when} in ${repo.label}` +
      (t.text ? ` asks: “${truncate(t.text, 300)}”.` : ' with no description.'),
    evidence: [{ path, startLine: t.line, endLine: t.endLine, commit: head, excerpt: t.excerpt, label: `${t.marker}${who}${when}` }],
    severity: specificity === 0 ? 'info' : MARKER_SEVERITY[t.marker],
    confidence: Math.round((0.35 + 0.5 * specificity) * 100) / 100,
    suggestedTask:
      `Resolve the ${t.marker} at \`${path}:${t.line}\`${t.text ? `: ${truncate(t.text, 500)}` : ''}. ` +
      'Do what it asks (or remove the comment if it no longer applies), keep the change small, and add or update a test that shows it.',
    fingerprint: t.fingerprint,
    size: 's',
    meta: {
      marker: t.marker,
      path,
      line: t.line,
      author: t.author ?? null,
      authoredAt: t.authoredAt === undefined ? null : new Date(t.authoredAt).toISOString(),
      ageDays: ageDays ?? null,
      blameCommit: t.commit ?? null,
      specificity,
    },
  };
}

/**
 * Oldest and most specific first: TODOs that say what to do (three words or more) before bare
 * ones, then by age, then FIXME before XXX before HACK before TODO, then path and line.
 */
export function rankTodos(findings: readonly Finding[]): Finding[] {
  const key = (f: Finding) => ({
    bare: Number(f.meta?.specificity ?? 0) < 3 / 8 ? 1 : 0,
    age: Number(f.meta?.ageDays ?? -1),
    weight: MARKER_WEIGHT[(f.meta?.marker as TodoMarker | undefined) ?? 'TODO'] ?? 0,
    path: String(f.meta?.path ?? ''),
    line: Number(f.meta?.line ?? 0),
  });
  return [...findings].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return x.bare - y.bare || y.age - x.age || y.weight - x.weight || x.path.localeCompare(y.path) || x.line - y.line;
  });
}
