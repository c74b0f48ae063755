import path from 'node:path';
import { expect, it } from 'vitest';
import { createLogger } from '../../src/logging/logger.js';
import { indexRepository } from '../../src/search/index-repo.js';
import { openDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { makeGitRepo, makeTempDir } from '../harness/temp-repo.js';

// Its own file so that no earlier test has loaded the grammars in this process: indexing must.
it('indexing loads the grammars itself, so stored symbols come from the syntax tree', async () => {
  const tmp = makeTempDir('teammate-ts-index-');
  const root = path.join(tmp.dir, 'repo');
  makeGitRepo(root, {
    'server.go': 'package server\n\nfunc (s *Server) ServeHTTP() {\n}\n',
    'lib/parser.js': 'function Parser() {}\nParser.prototype.parse = function (input) {\n  return input;\n};\n',
    'util.php': '<?php\nfunction slugify($s) {\n  return $s;\n}\n',
  });
  const db = openDatabase(path.join(tmp.dir, 'test.db'));
  try {
    migrate(db);
    await indexRepository(db, createLogger({ level: 'silent' }), { id: root, root, label: 'repo' });
    const rows = db.prepare('SELECT f.path, s.name, s.kind, s.start_line AS startLine, s.end_line AS endLine FROM code_symbols s JOIN code_files f ON f.id = s.file_id ORDER BY f.path, s.start_line').all();
    // The regex rules would call ServeHTTP a function and miss the prototype assignment.
    expect(rows).toEqual([
      { path: 'lib/parser.js', name: 'Parser', kind: 'function', startLine: 1, endLine: 1 },
      { path: 'lib/parser.js', name: 'parse', kind: 'function', startLine: 2, endLine: 4 },
      { path: 'server.go', name: 'ServeHTTP', kind: 'method', startLine: 3, endLine: 4 },
      { path: 'util.php', name: 'slugify', kind: 'function', startLine: 2, endLine: 4 },
    ]);
  } finally {
    db.close();
    tmp.cleanup();
  }
});
