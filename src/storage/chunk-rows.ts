import type { ChunkRow } from '../search/file-boosts.js';
import type { Db } from './database.js';
import { indexVersion } from './index-version.js';
import type { RankedChunk } from './rank-chunks.js';

interface ChunkMeta {
  readonly fileId: number;
  readonly startLine: number;
  readonly endLine: number;
}

interface MetaCache {
  readonly version: string;
  readonly chunks: Map<number, ChunkMeta>;
  readonly files: Map<number, { readonly path: string; readonly role: string }>;
}

/** Chunks and files remembered per index version: top chunks recur from query to query. */
const MAX_CACHED_CHUNKS = 200_000;
const caches = new WeakMap<Db, MetaCache>();

/**
 * The ranked chunks with their file, path, role and lines, best first. Looking up 2000 chunks
 * and their files costs several ms a query (two B-tree seeks each), so what was looked up is kept
 * until the index changes and only the chunks not seen before are read.
 */
export function chunkRows(db: Db, ranked: readonly RankedChunk[]): ChunkRow[] {
  const version = indexVersion(db);
  let cache = caches.get(db);
  if (!cache || cache.version !== version || cache.chunks.size > MAX_CACHED_CHUNKS) {
    cache = { version, chunks: new Map(), files: new Map() };
    caches.set(db, cache);
  }
  const { chunks, files } = cache;
  const missingChunks = ranked.filter((r) => !chunks.has(r.id)).map((r) => r.id);
  if (missingChunks.length > 0) {
    const rows = db
      .prepare('SELECT c.id, c.file_id, c.start_line, c.end_line FROM json_each(?) j JOIN code_chunks c ON c.id = j.value')
      .raw()
      .all(JSON.stringify(missingChunks)) as [number, number, number, number][];
    for (const [id, fileId, startLine, endLine] of rows) chunks.set(id, { fileId, startLine, endLine });
  }
  const missingFiles = [...new Set(ranked.map((r) => chunks.get(r.id)?.fileId).filter((id): id is number => id !== undefined && !files.has(id)))];
  if (missingFiles.length > 0) {
    const rows = db
      .prepare('SELECT f.id, f.path, f.role FROM json_each(?) j JOIN code_files f ON f.id = j.value')
      .raw()
      .all(JSON.stringify(missingFiles)) as [number, string, string][];
    for (const [id, path, role] of rows) files.set(id, { path, role });
  }
  const out: ChunkRow[] = [];
  for (const r of ranked) {
    // A chunk without a row (deleted since it was ranked) is left out, as the join left it out.
    const c = chunks.get(r.id);
    const f = c && files.get(c.fileId);
    if (c && f) out.push({ id: r.id, file_id: c.fileId, path: f.path, role: f.role, start_line: c.startLine, end_line: c.endLine, s: r.s });
  }
  return out;
}
