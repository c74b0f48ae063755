import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIEmbedder } from '../../src/llm/openai-embedder.js';
import { silentLogger } from '../../src/logging/logger.js';
import type { Repository } from '../../src/repos/repository.js';
import { createCodeSearch } from '../../src/search/code-search.js';
import { withEmbeddings } from '../../src/search/hybrid-search.js';
import { openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { type FakeOpenAI, startFakeOpenAI } from '../harness/fake-openai.js';
import { makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

/**
 * A toy embedding space with three concepts, so "similar meaning, no shared words" is something
 * the test controls: the fake server embeds with it, exactly like a real model would be called.
 */
const CONCEPTS: [RegExp, number][] = [
  [/transferFunds|payout|cash|supplier|invoice/i, 0],
  [/avatar|profile|user/i, 1],
  [/matrix|vector|multiply/i, 2],
];
function toyEmbed(text: string): number[] {
  const v = [0.01, 0.01, 0.01, 0.01];
  for (const [re, dim] of CONCEPTS) if (re.test(text)) v[dim]! += 1;
  return v;
}

const temp = makeTempDir('teammate-hybrid-');
let openai: FakeOpenAI;
let failing = false;
const embeddedInputs: string[] = [];
const repo: Repository = { id: path.join(temp.dir, 'repo'), root: path.join(temp.dir, 'repo'), label: 'repo' };

beforeAll(async () => {
  openai = await startFakeOpenAI({
    embed: (text) => {
      if (failing) throw new Error('embeddings backend down');
      embeddedInputs.push(text);
      return toyEmbed(text);
    },
  });
  makeGitRepo(repo.root, {
    'src/billing.ts': 'export function transferFunds(accountId: string, cents: number) {\n  return { accountId, cents, status: "queued" };\n}\n',
    'src/profile.ts': 'export function updateAvatar(userId: string, url: string) {\n  return { userId, url };\n}\n',
    'src/linear.ts': 'export function multiply(a: number[][], b: number[][]) {\n  return a.map((row) => row.map((_, j) => row.reduce((s, x, k) => s + x * b[k]![j]!, 0)));\n}\n',
  });
});
afterAll(async () => {
  await openai.close();
  temp.cleanup();
});

function build() {
  const db = openDatabase(path.join(temp.dir, 'hybrid.db'));
  migrate(db);
  const logger = silentLogger();
  const embedder = createOpenAIEmbedder({ apiKey: 'sk-test', baseUrl: openai.baseUrl, model: 'toy-embed', dimensions: 4, timeoutMs: 5_000, maxRetries: 0, logger });
  return { db, search: withEmbeddings(createCodeSearch(db, logger, { worker: false }), { db, embedder, logger }) };
}

describe('hybrid search (lexical + embeddings)', () => {
  it('finds code that shares no words with the question', async () => {
    const { db, search } = build();
    await search.index(repo);
    const lexicalOnly = createCodeSearch(db, silentLogger(), { worker: false });
    const question = 'where do we send cash to a supplier?';
    expect((await lexicalOnly.search(repo, question)).map((h) => h.path)).not.toContain('src/billing.ts');
    const hits = await search.search(repo, question, { limit: 3 });
    expect(hits[0]?.path).toBe('src/billing.ts');
    expect(hits[0]?.snippet).toContain('transferFunds');
    // Questions that do share words keep their lexical answer first.
    expect((await search.search(repo, 'updateAvatar'))[0]?.path).toBe('src/profile.ts');
    db.close();
  });

  it('embeds only the chunks of changed files on a refresh', async () => {
    const { db, search } = build();
    await search.index(repo); // everything already embedded by the previous test's run
    embeddedInputs.length = 0;
    fs.appendFileSync(path.join(repo.root, 'src/profile.ts'), 'export const DEFAULT_AVATAR = "/img/user.png";\n');
    await search.index(repo);
    expect(embeddedInputs.length).toBeGreaterThan(0);
    expect(embeddedInputs.every((t) => t.startsWith('src/profile.ts\n'))).toBe(true);
    db.close();
  });

  it('keeps lexical search working when the embeddings endpoint fails', async () => {
    const { db, search } = build();
    failing = true;
    try {
      fs.appendFileSync(path.join(repo.root, 'src/linear.ts'), '// identity matrix next\n');
      await expect(search.index(repo)).resolves.toMatchObject({ repoId: repo.id });
      const hits = await search.search(repo, 'multiply matrices');
      expect(hits[0]?.path).toBe('src/linear.ts');
    } finally {
      failing = false;
      db.close();
    }
  });
});
