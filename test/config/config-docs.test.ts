import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_OPTIONS, readmeRow } from '../../src/config/options.js';

const root = new URL('../../', import.meta.url);
const read = (f: string) => fs.readFileSync(new URL(f, root), 'utf8');

describe('configuration is documented where users look, from the one declaration', () => {
  it('every option appears in .env.example with its default value (or empty)', () => {
    const example = read('.env.example');
    const wrong = CONFIG_OPTIONS.flatMap((o) => {
      const line = new RegExp(`^#?\\s*${o.env}=(.*)$`, 'm').exec(example);
      if (!line) return [`${o.env}: missing`];
      const fixed = o.exampleValue;
      return line[1]!.trim() === fixed ? [] : [`${o.env}=${fixed} (found ${o.env}=${line[1]!.trim()})`];
    });
    expect(wrong).toEqual([]);
  });

  it('every option has exactly its generated row in the README configuration table', () => {
    const readme = read('README.md');
    // On failure the expected rows are printed: paste them into the table.
    const missing = CONFIG_OPTIONS.map(readmeRow).filter((row) => !readme.includes(row));
    expect(missing).toEqual([]);
  });

  it('the README table lists no option that is not declared', () => {
    const documented = [...read('README.md').matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    const declared = new Set(CONFIG_OPTIONS.map((o) => o.env as string));
    expect(documented.filter((name) => !declared.has(name!))).toEqual([]);
  });
});
