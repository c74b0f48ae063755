import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../src/', import.meta.url);

/** Core folders speak ports: no vendor SDK, no storage (so no Db type), no Slack adapter. */
describe('proposals and digests core imports', () => {
  it('imports only relative core modules and ports', () => {
    const offenders: string[] = [];
    for (const folder of ['proposals', 'digests']) {
      const dir = new URL(`${folder}/`, root);
      for (const file of fs.readdirSync(dir)) {
        const text = fs.readFileSync(new URL(file, dir), 'utf8');
        for (const m of text.matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)) {
          const spec = m[1]!;
          const bad = !spec.startsWith('.') || /\/(storage|slack|github|executors|console)\//.test(spec) || spec.includes('/llm/openai');
          if (bad) offenders.push(`${path.join(folder, file)} → ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
