import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { looksBinary, MAX_FILE_BYTES, skipReasonForContent } from './file-filter.js';
import { type PreparedFile, prepareFile } from './prepare-file.js';

/** One file to (re)index: its listed change key, and the key stored for it, if any. */
export interface FileToRead {
  readonly path: string;
  /** Change key from the listing (git blob sha, mtime:size); undefined: hash the content. */
  readonly hash?: string;
  /** Change key currently in the index. */
  readonly storedHash?: string;
}

/**
 * What reading one file gave: gone or unreadable (`absent`), same content as indexed
 * (`unchanged`), not worth indexing (`skipped`, e.g. minified or generated), or rows to write.
 * Plain data, so a preparing worker thread can hand it to the writer thread.
 */
export type PrepareOutcome =
  | { readonly kind: 'absent' }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'skipped' }
  | { readonly kind: 'file'; readonly hash: string; readonly bytes: number; readonly prepared: PreparedFile };

/**
 * Reads one file under `root` (a realpath) and computes everything stored for it, without touching
 * the database: the same function runs on the writer thread (refreshes) and in preparing workers
 * (first index), so both paths store identical rows.
 */
export function readAndPrepare(root: string, f: FileToRead): PrepareOutcome {
  const read = readCandidate(root, f.path);
  if (!read) return { kind: 'absent' };
  const hash = f.hash ?? `sha1:${createHash('sha1').update(read).digest('hex')}`;
  if (f.storedHash === hash) return { kind: 'unchanged' };
  const text = read.toString('utf8');
  if (skipReasonForContent(text)) return { kind: 'skipped' };
  return { kind: 'file', hash, bytes: read.length, prepared: prepareFile(f.path, text) };
}

/**
 * The file's bytes if it is a regular file inside the root, at most MAX_FILE_BYTES and not binary.
 * lstat refuses symlinks, so nothing outside the repository is ever read through one.
 */
function readCandidate(root: string, relPath: string): Buffer | undefined {
  const abs = path.resolve(root, relPath);
  if (!abs.startsWith(root + path.sep)) return undefined;
  try {
    // Synchronous on purpose: for small files the promise round trips cost more than the reads,
    // and the batch loop yields to the event loop every few dozen files anyway.
    const st = fs.lstatSync(abs);
    if (!st.isFile() || st.size > MAX_FILE_BYTES) return undefined;
    const buf = fs.readFileSync(abs);
    if (buf.length > MAX_FILE_BYTES || looksBinary(buf)) return undefined;
    return buf;
  } catch {
    return undefined; // vanished or unreadable since listing: treat as absent
  }
}
