import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger.js';
import { createCodeSearch } from '../../src/search/code-search.js';
import { rankRole } from '../../src/search/file-boosts.js';
import { resolveTuning } from '../../src/search/ranking-tuning.js';
import { vendoredDetector } from '../../src/search/vendored-paths.js';
import { openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

const tmp = makeTempDir('teammate-vendored-');
afterAll(() => tmp.cleanup());

async function indexed(name: string, files: Record<string, string>) {
  const root = path.join(tmp.dir, name);
  makeGitRepo(root, files);
  const db = openDatabase(':memory:');
  migrate(db);
  const search = createCodeSearch(db, createLogger({ level: 'silent' }));
  const repo = { id: root, root, label: name };
  await search.index(repo);
  return { db, root, search, repo };
}

describe('vendored copies are detected by what they are, not by a folder called packages', () => {
  it('a monorepo package is first-party; vendor folders, submodules and manifest path dependencies are not', async () => {
    const { db, root } = await indexed('monorepo', {
      'package.json': JSON.stringify({ name: 'web', workspaces: ['packages/*'], dependencies: { 'left-pad': 'file:libs/left-pad', react: '^18.0.0' } }),
      '.gitmodules': '[submodule "ext/zlib"]\n\tpath = deps/zlib\n\turl = https://example.com/zlib.git\n',
      'Cargo.toml': '[package]\nname = "x"\npath = "not/a/dependency"\n\n[dependencies]\nfoo = { path = "crates/foo", version = "1" }\n',
      'web/packages/ui/button.ts': 'export function Button() {}\n',
      'libs/left-pad/index.js': 'module.exports = function leftPad() {};\n',
      'crates/foo/lib.rs': 'pub fn foo() {}\n',
      'src/third_party/lib.js': 'export const x = 1;\n',
    });
    try {
      const vendored = vendoredDetector(db, root, root);
      expect(vendored('web/packages/ui/button.ts')).toBe(false);
      expect(vendored('libs/left-pad/index.js')).toBe(true);
      expect(vendored('deps/zlib/inflate.c')).toBe(true);
      expect(vendored('crates/foo/lib.rs')).toBe(true);
      expect(vendored('not/a/dependency/x.rs')).toBe(false);
      expect(vendored('src/third_party/lib.js')).toBe(true);
      expect(rankRole('web/packages/ui/button.ts', 'code', vendored)).toBe('code');
      expect(rankRole('libs/left-pad/index.js', 'code', vendored)).toBe('vendored');
    } finally {
      db.close();
    }
  });

  it('a Python distribution copied inside a package (its own __version__) ranks below first-party code', async () => {
    const { db, search, repo } = await indexed('requests-like', {
      'requests/__init__.py': '__version__ = "2.7.0"\n',
      'requests/packages/__init__.py': 'from . import urllib3\n',
      'requests/packages/urllib3/__init__.py': '__version__ = "1.10.4"\n',
      'requests/packages/urllib3/exceptions.py': 'class ProtocolError(Exception):\n    """Raised when a connection drops: protocol error, connection error."""\n',
      'requests/exceptions.py': 'class ConnectionError(Exception):\n    """A connection error occurred."""\n',
      'requests/models/__init__.py': 'VERSION_NOTE = "uses __version__ of the parent"\n',
    });
    try {
      const vendored = vendoredDetector(db, repo.id, repo.root);
      expect(vendored('requests/packages/urllib3/exceptions.py')).toBe(true);
      expect(vendored('requests/exceptions.py')).toBe(false);
      expect(vendored('requests/models/__init__.py')).toBe(false);
      const hits = await search.search(repo, 'which exception is raised on a connection error?');
      expect(hits[0]?.path).toBe('requests/exceptions.py');
    } finally {
      db.close();
    }
  });

  it('source in a language without definition rules is code; run-control files rank like config', () => {
    expect(rankRole('templates/index.html', 'code')).toBe('code');
    expect(rankRole('lib/parser.ex', 'code')).toBe('code');
    expect(rankRole('pylintrc', 'code')).toBe('config');
    expect(rankRole('setup.py', 'code')).toBe('script');
    expect(rankRole('webpack.config.js', 'code')).toBe('script');
    expect(rankRole('scripts/release.ts', 'code')).toBe('script');
  });
});

describe('ranking constants are a checked parameter', () => {
  it('rejects unknown names, negative or non-finite numbers, wrong types', () => {
    expect(resolveTuning({ defMatchW: 2 }).defMatchW).toBe(2);
    expect(() => resolveTuning({ nope: 1 } as never)).toThrow(/unknown constant "nope"/);
    expect(() => resolveTuning({ agg: -1 })).toThrow(/agg must be a finite number/);
    expect(() => resolveTuning({ agg: Number.NaN })).toThrow(/agg/);
    expect(() => resolveTuning({ plurals: 1 } as never)).toThrow(/plurals must be a boolean/);
  });
});
