-- Optional semantic search: one vector per chunk, for the configured embeddings model.
-- Keyed by chunk id: a re-indexed file gets new chunks, and the cascade drops their old vectors,
-- so "chunks without a vector" is exactly the incremental work after a refresh.
CREATE TABLE code_chunk_vectors (
  chunk_id INTEGER PRIMARY KEY REFERENCES code_chunks (id) ON DELETE CASCADE,
  model TEXT NOT NULL,
  vector BLOB NOT NULL -- Float32Array bytes, unit length
);
