import type { Embedder } from '../llm/types.js';
import type { Logger } from '../logging/logger.js';
import type { Repository } from '../repos/repository.js';
import type { Db } from '../storage/database.js';

/** What the embedder sees of a chunk: its path (a strong hint of meaning) and its code, bounded. */
const MAX_EMBED_CHARS = 6_000;
export const embeddingInput = (path: string, text: string) => `${path}\n${text}`.slice(0, MAX_EMBED_CHARS);

export interface VectorMatrix {
  readonly chunkIds: Int32Array;
  /** chunkIds.length × dimensions, row-major, unit-length rows. */
  readonly values: Float32Array;
  readonly dimensions: number;
}

/**
 * Embeds every chunk of `repo` that has no vector for this model yet, in batches, committing each
 * batch so an interrupted run keeps its progress. Returns how many chunks were embedded.
 */
export async function embedPendingChunks(db: Db, embedder: Embedder, repo: Repository, logger: Logger, batch = 256): Promise<number> {
  const pending = db.prepare(
    `SELECT c.id, f.path, c.text FROM code_chunks c JOIN code_files f ON f.id = c.file_id
     LEFT JOIN code_chunk_vectors v ON v.chunk_id = c.id AND v.model = ?
     WHERE f.repo_id = ? AND v.chunk_id IS NULL AND c.id > ? ORDER BY c.id LIMIT ?`,
  );
  const upsert = db.prepare('INSERT OR REPLACE INTO code_chunk_vectors (chunk_id, model, vector) VALUES (?, ?, ?)');
  const write = db.transaction((rows: { id: number }[], vectors: Float32Array[]) => {
    rows.forEach((r, i) => upsert.run(r.id, embedder.model, Buffer.from(vectors[i]!.buffer, vectors[i]!.byteOffset, vectors[i]!.byteLength)));
  });
  let done = 0;
  let after = 0;
  for (;;) {
    const rows = pending.all(embedder.model, repo.id, after, batch) as { id: number; path: string; text: string }[];
    if (rows.length === 0) break;
    const vectors = await embedder.embed(rows.map((r) => embeddingInput(r.path, r.text)));
    write(rows, vectors);
    done += rows.length;
    after = rows[rows.length - 1]!.id;
  }
  if (done > 0) logger.info({ repo: repo.id, chunks: done, model: embedder.model }, 'embedded new chunks');
  return done;
}

/** All vectors of a repository for one model, packed for a fast brute-force scan. */
export function loadVectorMatrix(db: Db, repo: Repository, model: string, dimensions: number): VectorMatrix {
  const rows = db
    .prepare(
      `SELECT v.chunk_id AS id, v.vector FROM code_chunk_vectors v JOIN code_chunks c ON c.id = v.chunk_id
       JOIN code_files f ON f.id = c.file_id WHERE f.repo_id = ? AND v.model = ?`,
    )
    .all(repo.id, model) as { id: number; vector: Buffer }[];
  const usable = rows.filter((r) => r.vector.byteLength === dimensions * 4);
  const chunkIds = new Int32Array(usable.length);
  const values = new Float32Array(usable.length * dimensions);
  usable.forEach((r, i) => {
    chunkIds[i] = r.id;
    values.set(new Float32Array(r.vector.buffer, r.vector.byteOffset, dimensions), i * dimensions);
  });
  return { chunkIds, values, dimensions };
}

/** The `k` chunks most similar to `query` (dot product of unit vectors = cosine). */
export function nearestChunks(m: VectorMatrix, query: Float32Array, k: number): { chunkId: number; similarity: number }[] {
  const d = m.dimensions;
  const n = m.chunkIds.length;
  const sims = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const base = i * d;
    for (let j = 0; j < d; j++) s += m.values[base + j]! * query[j]!;
    sims[i] = s;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => sims[b]! - sims[a]!);
  return order.slice(0, k).map((i) => ({ chunkId: m.chunkIds[i]!, similarity: sims[i]! }));
}
