import type { Writable } from 'node:stream';
import type { IndexProgress, IndexSummary } from '../search/types.js';

/** One line that says what indexing cost: files, bytes, seconds, throughput. */
export function formatIndexSummary(label: string, s: IndexSummary): string {
  const mb = s.bytes / 1024 / 1024;
  const rate = s.seconds > 0 ? mb / s.seconds : 0;
  return `${label}: ${s.files} files, ${mb.toFixed(1)} MB in ${s.seconds.toFixed(2)} s (${rate.toFixed(1)} MB/s); re-indexed ${s.indexedFiles}, removed ${s.removedFiles}, skipped ${s.skippedFiles}`;
}

/** A minimal progress line for TTYs: redrawn in place, cleared when done. */
export function ttyProgress(stream: Writable & { isTTY?: boolean }, label: string): { update(p: IndexProgress): void; done(): void } {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100 && p.done < p.total) return;
      last = now;
      const pct = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 0;
      const width = 24;
      const filled = Math.round((pct / 100) * width);
      stream.write(`\r\x1b[2K${label} ${p.phase} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% ${p.done}/${p.total}`);
    },
    done() {
      stream.write('\r\x1b[2K');
    },
  };
}
