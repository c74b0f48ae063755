import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/search/parse-query.js';
import fs from 'node:fs';
import path from 'node:path';
import { codeTokenString, identifierTokens, splitIdentifier, tokenizeCode, tokenizePath, tokenString } from '../../src/search/tokenize.js';

describe('identifier tokens', () => {
  it('keeps the whole and splits camel, Pascal, snake, acronyms and digits', () => {
    expect(identifierTokens('loadConfig')).toEqual(['loadconfig', 'load', 'config']);
    expect(identifierTokens('load_config')).toEqual(['load_config', 'load', 'config']);
    expect(splitIdentifier('HTTPServerError')).toEqual(['http', 'server', 'error']);
    expect(splitIdentifier('parseV2Response')).toEqual(['parse', 'v', '2', 'response']);
    expect(identifierTokens('session')).toEqual(['session']);
    expect(identifierTokens('__init__')).toEqual(['init']);
  });

  it('tokenizes code text in order', () => {
    expect(tokenizeCode('const x = getUserName(user_id);')).toEqual(['const', 'x', 'getusername', 'get', 'user', 'name', 'user_id', 'user', 'id']);
  });

  it('makes path segments, the kebab stem and the extension searchable', () => {
    expect(tokenizePath('src/config/load-config.ts')).toEqual(['src', 'config', 'load_config', 'load', 'config', 'ts']);
  });
});

describe('query parsing', () => {
  it('reads Python stack frames: paths, functions and identifiers', () => {
    const q = parseQuery(`Traceback (most recent call last):
  File "/home/u/venv/lib/python3.9/site-packages/requests/sessions.py", line 464, in request
    resp = self.send(prep, **send_kwargs)
  File "/home/u/venv/lib/python3.9/site-packages/requests/adapters.py", line 12, in send_request
ValueError: bad value in \`merge_setting\``);
    expect(q.paths).toContain('/home/u/venv/lib/python3.9/site-packages/requests/sessions.py');
    expect(q.frameFunctions).toEqual(['request', 'send_request']);
    expect(q.identifiers).toEqual(expect.arrayContaining(['send_request', 'merge_setting', 'ValueError', 'send_kwargs']));
    expect(q.terms).toContain('sessions');
    expect(q.terms).not.toContain('the');
  });

  it('reads IPython frames and orders frame paths outermost first for every language', () => {
    const py = parseQuery('File ~/code/pkg/core/plot.py:841, in Plot._plot(self)\nFile ~/code/pkg/core/scales.py:351, in ContinuousBase._setup(self, data)');
    expect(py.framePaths).toEqual(['~/code/pkg/core/plot.py', '~/code/pkg/core/scales.py']);
    expect(py.frameFunctions).toEqual(['_plot', '_setup']);
    const js = parseQuery('Error: boom\n    at inner (/app/src/inner.ts:3:1)\n    at outer (/app/src/outer.ts:9:2)');
    expect(js.framePaths).toEqual(['/app/src/outer.ts', '/app/src/inner.ts']);
  });

  it('reads JavaScript frames and paths named in prose', () => {
    const q = parseQuery('TypeError: x is undefined\n    at loadConfig (/app/src/config/load-config.ts:10:5)\nsee also lib/util.js');
    expect(q.paths).toEqual(expect.arrayContaining(['/app/src/config/load-config.ts', 'lib/util.js']));
    expect(q.frameFunctions).toContain('loadConfig');
  });
});

describe('bug-report boilerplate and term weights', () => {
  it('drops version listings and template comments, weights the title and identifiers', () => {
    const q = parseQuery(`Dataset repr hides units
<!-- Please include a minimal example -->
I call \`ds.to_netcdf\` and the units vanish.
INSTALLED VERSIONS
------------------
python: 3.8.5
numpy: 1.19.2
</details>
attrs==19.3.0
platform linux -- Python 3.7.5, pytest-5.3.2`);
    expect(q.terms).not.toContain('numpy');
    expect(q.terms).not.toContain('attrs');
    expect(q.terms).not.toContain('platform');
    expect(q.terms).not.toContain('minimal');
    expect(q.weights.get('repr')).toBe(2);
    expect(q.weights.get('to_netcdf')).toBe(2);
    expect(q.weights.get('vanish')).toBe(1);
    expect(q.terms.slice(0, 3)).toEqual(expect.arrayContaining(['repr', 'units']));
  });
});

describe('codeTokenString (what the index stores for a chunk body)', () => {
  it('is tokenString(tokenizeCode(text)) exactly, on edge cases and on this project\'s sources', () => {
    const edge = [
      '',
      '   \n\t',
      'aB2c __x__ _ __ 123abc abc123 0x1F 3.14 a_b-c',
      `été ÄbC naïve über_cool Ωmega ${'a'.repeat(64)} ${'b'.repeat(65)} x${'_'.repeat(70)}`,
      'parseHTTPResponse2(loadConfig, HTTPServerError); // TODO: fix_this',
      '\u{1F600}emoji\u{1F600}_snake_\u{1F600}9lives',
    ];
    const src = path.join(import.meta.dirname, '../../src/search');
    const sources = fs.readdirSync(src).map((f) => fs.readFileSync(path.join(src, f), 'utf8'));
    for (const text of [...edge, ...sources]) expect(codeTokenString(text)).toBe(tokenString(tokenizeCode(text)));
  });
});
