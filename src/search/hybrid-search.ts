import type { Embedder } from '../llm/types.js';
import type { Logger } from '../logging/logger.js';
import type { Repository } from '../repos/repository.js';
import type { Db } from '../storage/database.js';
import { embedPendingChunks, loadVectorMatrix, nearestChunks, type VectorMatrix } from './chunk-vectors.js';
import type { CodeSearch, SearchHit } from './types.js';

/** Reciprocal-rank fusion constant (Cormack et al.): dampens the weight of the very top ranks. */
const RRF_K = 60;
/**
 * The lexical ranking alone meets the retrieval goal; vectors add recall for questions that share
 * no words with the code. Weighted below lexical so a confident lexical first place survives.
 */
const VECTOR_WEIGHT = 0.7;
const VECTOR_CANDIDATES = 200;

/**
 * CodeSearch with semantic recall: index() also embeds new chunks (incrementally; a failing
 * embeddings endpoint is logged and leaves lexical search intact), and search() fuses the lexical
 * file ranking with the files of the nearest chunks.
 */
interface ChunkRow {
  readonly id: number;
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
  readonly path: string;
}

export function withEmbeddings(base: CodeSearch, deps: { db: Db; embedder: Embedder; logger: Logger }): CodeSearch {
  const { db, embedder, logger } = deps;
  const matrices = new Map<string, VectorMatrix>();
  const chunkRows = (ids: readonly number[]) =>
    db
      .prepare(
        `SELECT c.id, c.start_line AS startLine, c.end_line AS endLine, c.text, f.path FROM code_chunks c
         JOIN code_files f ON f.id = c.file_id WHERE c.id IN (${ids.map(() => '?').join(',')})`,
      )
      .all(...ids) as ChunkRow[];

  const matrixFor = (repo: Repository) => {
    let m = matrices.get(repo.id);
    if (!m) {
      m = loadVectorMatrix(db, repo, embedder.model, embedder.dimensions);
      matrices.set(repo.id, m);
    }
    return m;
  };

  return {
    ...base,
    async index(repo, opts) {
      const summary = await base.index(repo, opts);
      try {
        await embedPendingChunks(db, embedder, repo, logger);
      } catch (err) {
        logger.warn({ repo: repo.id, err }, 'embedding new chunks failed; search stays lexical for them until the next refresh');
      }
      matrices.delete(repo.id);
      return summary;
    },
    async search(repo, query, opts = {}) {
      const limit = opts.limit ?? 10;
      const lexical = await base.search(repo, query, { ...opts, limit: Math.max(limit * 3, 30) });
      const m = matrixFor(repo);
      if (m.chunkIds.length === 0) return lexical.slice(0, limit);
      let queryVector: Float32Array;
      try {
        [queryVector] = (await embedder.embed([query.slice(0, 8_000)])) as [Float32Array];
      } catch (err) {
        logger.warn({ repo: repo.id, err }, 'embedding the query failed; lexical results only');
        return lexical.slice(0, limit);
      }
      const near = nearestChunks(m, queryVector, VECTOR_CANDIDATES);
      const rows = new Map(chunkRows(near.map((n) => n.chunkId)).map((r) => [r.id, r]));
      // Best chunk per file, in similarity order.
      const vectorFiles: { path: string; chunk: ChunkRow; similarity: number }[] = [];
      const seen = new Set<string>();
      for (const n of near) {
        const row = rows.get(n.chunkId);
        if (!row || seen.has(row.path)) continue;
        seen.add(row.path);
        vectorFiles.push({ path: row.path, chunk: row, similarity: n.similarity });
      }
      const score = new Map<string, number>();
      lexical.forEach((h, i) => score.set(h.path, (score.get(h.path) ?? 0) + 1 / (RRF_K + i + 1)));
      vectorFiles.forEach((v, i) => score.set(v.path, (score.get(v.path) ?? 0) + VECTOR_WEIGHT / (RRF_K + i + 1)));
      const lexicalHit = new Map(lexical.map((h) => [h.path, h]));
      const vectorHit = new Map(vectorFiles.map((v) => [v.path, v]));
      return [...score.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, limit)
        .map(([path, fused]): SearchHit => {
          const lex = lexicalHit.get(path);
          if (lex) return { ...lex, score: fused };
          const v = vectorHit.get(path)!;
          const snippet = v.chunk.text.split('\n').slice(0, 6).join('\n');
          return { path, startLine: v.chunk.startLine, endLine: Math.min(v.chunk.endLine, v.chunk.startLine + 5), score: fused, snippet };
        });
    },
  };
}
