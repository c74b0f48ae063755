import { expect, it } from 'vitest';
import { stripBoilerplate } from '../../src/search/strip-boilerplate.js';

it('drops environment dumps of any project by their shape, keeps the report and its stack frames', () => {
  const report = [
    'Session cookies are lost after a redirect',
    'platform linux -- Python 3.11.4, pytest-7.4.0, pluggy-1.2.0',
    'rootdir: /home/me/project',
    'Output of `mylib.show_versions()`:',
    '```',
    'mylib: 0.9.1',
    'numpy: 1.26.0',
    '```',
    'requests==2.31.0',
    '  File "/usr/lib/python3.11/site-packages/mylib/session.py", line 12, in resolve_redirects',
    'The cookie jar is rebuilt on every hop.',
  ].join('\n');
  const kept = stripBoilerplate(report).split('\n');
  expect(kept).toEqual([
    'Session cookies are lost after a redirect',
    '  File "/usr/lib/python3.11/site-packages/mylib/session.py", line 12, in resolve_redirects',
    'The cookie jar is rebuilt on every hop.',
  ]);
});
