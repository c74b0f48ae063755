import { describe, expect, it } from 'vitest';
import { findTodos, specificityOf } from '../../src/scanners/todo/find-todos.js';

describe('findTodos', () => {
  it('finds markers that open a comment, in every common comment syntax', () => {
    const src = [
      'const a = 1; // TODO: retry when the socket closes',
      '# FIXME(alice): the parser drops trailing commas',
      ' * HACK - works around the proxy stripping headers',
      '<!-- XXX the footer link is dead -->',
      '-- TODO index this column',
      '/* TODO[OPS-12] rotate the keys */',
    ].join('\n');
    expect(findTodos(src).map((t) => [t.marker, t.line, t.text])).toEqual([
      ['TODO', 1, 'retry when the socket closes'],
      ['FIXME', 2, 'the parser drops trailing commas'],
      ['HACK', 3, 'works around the proxy stripping headers'],
      ['XXX', 4, 'the footer link is dead'],
      ['TODO', 5, 'index this column'],
      ['TODO', 6, 'rotate the keys'],
    ]);
  });

  it('ignores markers in code, strings, inline code and the middle of sentences', () => {
    const src = [
      'const TODO = loadList();',
      'const s = "http://TODO.example";',
      ' * Finds markers (`// TODO: …`) in comments',
      '// we should look at the TODO list later',
      'const XXXX = 1; // nothing to see',
      'a#TODO',
    ].join('\n');
    expect(findTodos(src)).toEqual([]);
  });

  it('joins the comment lines that continue a TODO, up to code or a blank comment line', () => {
    const src = ['// TODO: cache the token', '// until it expires, then refresh it', '//', '// unrelated', 'code();'].join('\n');
    const [t] = findTodos(src);
    expect(t).toMatchObject({ line: 1, endLine: 2, text: 'cache the token until it expires, then refresh it' });
    expect(t?.excerpt).toBe('// TODO: cache the token\n// until it expires, then refresh it');
  });

  it('continues a TODO that follows code on its line', () => {
    expect(findTodos('f();// TODO: retry twice\n// then give up\ng();').map((t) => t.text)).toEqual(['retry twice then give up']);
    expect(findTodos(';; TODO: cache it\n;; per session').map((t) => t.text)).toEqual(['cache it per session']);
  });

  it('a described TODO is more specific than a bare one', () => {
    expect(specificityOf('')).toBe(0);
    expect(specificityOf('fix')).toBeLessThan(specificityOf('retry the upload when the socket closes early'));
  });
});
