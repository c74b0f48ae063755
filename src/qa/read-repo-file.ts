import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isSecretPath } from '../repos/secret-files.js';
import { redactSecrets } from '../security/redact-secrets.js';

export type ResolvedRepoPath = { readonly ok: true; readonly abs: string; readonly rel: string } | { readonly ok: false; readonly error: string };

/**
 * Maps a path the model (or a citation) gave us to a real file inside the repository, or says why
 * not. Untrusted input: absolute paths, `..`, symlinks leaving the root, `.git` internals and
 * secret-looking files are all refused, both as written and as resolved.
 */
export async function resolveRepoPath(root: string, requested: string): Promise<ResolvedRepoPath> {
  const cleaned = requested.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  if (cleaned === '' || cleaned.includes('\0')) return { ok: false, error: 'empty or invalid path' };
  if (path.isAbsolute(cleaned) || /^[A-Za-z]:/.test(cleaned)) return { ok: false, error: 'absolute paths are not allowed; give a path relative to the repository root' };
  const rel = path.posix.normalize(cleaned);
  if (rel === '..' || rel.startsWith('../') || rel.split('/').includes('..')) return { ok: false, error: 'path leaves the repository' };
  if (rel.split('/').includes('.git')) return { ok: false, error: 'git internals are not readable' };
  if (isSecretPath(rel)) return { ok: false, error: 'this file may hold secrets and is never read' };

  let realRoot: string;
  let realTarget: string;
  try {
    realRoot = await fs.realpath(root);
    realTarget = await fs.realpath(path.join(realRoot, rel));
  } catch {
    return { ok: false, error: 'no such file' };
  }
  const realRel = path.relative(realRoot, realTarget);
  if (realRel === '' || realRel.startsWith('..') || path.isAbsolute(realRel)) return { ok: false, error: 'path leaves the repository' };
  const realRelPosix = realRel.split(path.sep).join('/');
  if (realRelPosix.split('/').includes('.git') || isSecretPath(realRelPosix)) return { ok: false, error: 'this file may hold secrets and is never read' };
  return { ok: true, abs: realTarget, rel };
}

export interface ReadLimits {
  /** Most lines returned in one read. */
  readonly maxLines: number;
  /** Most bytes of text returned in one read (after numbering). */
  readonly maxBytes: number;
  /** Files bigger than this are refused outright (generated or vendored, rarely worth reading). */
  readonly maxFileBytes: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxLines: 200, maxBytes: 16_000, maxFileBytes: 2_000_000 };

export type RepoFileContent =
  | {
      readonly ok: true;
      readonly path: string;
      readonly startLine: number;
      readonly endLine: number;
      readonly totalLines: number;
      /** The raw lines startLine..endLine, secrets scrubbed. */
      readonly lines: readonly string[];
      readonly truncated: boolean;
    }
  | { readonly ok: false; readonly path: string; readonly error: string };

/** All lines of a confined, non-secret text file, secrets redacted; shared by read_file and citation checks. */
export async function readRepoLines(root: string, requested: string, maxFileBytes = DEFAULT_READ_LIMITS.maxFileBytes): Promise<{ ok: true; rel: string; lines: string[] } | { ok: false; error: string }> {
  const resolved = await resolveRepoPath(root, requested);
  if (!resolved.ok) return resolved;
  const stat = await fs.stat(resolved.abs).catch(() => undefined);
  if (!stat?.isFile()) return { ok: false, error: stat?.isDirectory() ? 'this is a folder; use list_files' : 'no such file' };
  if (stat.size > maxFileBytes) return { ok: false, error: `file too large to read (${stat.size} bytes)` };
  const buf = await fs.readFile(resolved.abs);
  if (buf.subarray(0, 8192).includes(0)) return { ok: false, error: 'binary file' };
  // Whole-file redaction (not line by line): a private key or a value on the line after its name
  // is only recognisable with its neighbours. Line count is kept, so line numbers stay true.
  const text = redactSecrets(buf.toString('utf8'), { path: resolved.rel }).text;
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return { ok: true, rel: resolved.rel, lines };
}

/**
 * Reads lines `startLine..endLine` (1-based, inclusive, clamped to the file) of a repository file,
 * capped in lines and bytes, with secret-shaped strings scrubbed before anyone sees them.
 */
export async function readRepoFile(
  root: string,
  requested: string,
  range: { startLine?: number; endLine?: number } = {},
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Promise<RepoFileContent> {
  const file = await readRepoLines(root, requested, limits.maxFileBytes);
  if (!file.ok) return { ok: false, path: requested, error: file.error };
  const total = file.lines.length;
  const start = Math.min(Math.max(1, Math.floor(range.startLine ?? 1)), Math.max(1, total));
  const wantedEnd = Math.max(start, Math.floor(range.endLine ?? total));
  let end = Math.min(wantedEnd, total, start + limits.maxLines - 1);
  const lines: string[] = [];
  let bytes = 0;
  for (let n = start; n <= end; n++) {
    const line = file.lines[n - 1] ?? '';
    bytes += Buffer.byteLength(line) + 8;
    if (bytes > limits.maxBytes && lines.length > 0) {
      end = n - 1;
      break;
    }
    lines.push(line.length > 1_000 ? `${line.slice(0, 1_000)}…` : line);
  }
  return { ok: true, path: file.rel, startLine: start, endLine: Math.max(start, end), totalLines: total, lines, truncated: end < Math.min(wantedEnd, total) };
}

/** `  12 | code` lines, the shape the model sees and cites from. */
export function numberLines(startLine: number, lines: readonly string[]): string {
  const width = String(startLine + lines.length - 1).length;
  return lines.map((l, i) => `${String(startLine + i).padStart(width, ' ')} | ${l}`).join('\n');
}
