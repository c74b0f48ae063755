import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_OPTIONS } from '../../src/config/options.js';

const root = new URL('../../', import.meta.url);
const read = (f: string) => fs.readFileSync(new URL(f, root), 'utf8');

describe('configuration is documented where users look', () => {
  it('every option appears in .env.example', () => {
    const example = read('.env.example');
    const missing = CONFIG_OPTIONS.filter((o) => !new RegExp(`^#?\\s*${o.env}=`, 'm').test(example)).map((o) => o.env);
    expect(missing).toEqual([]);
  });

  it('every option has a row in the README configuration table', () => {
    const readme = read('README.md');
    const missing = CONFIG_OPTIONS.filter((o) => !readme.includes(`| \`${o.env}\` |`)).map((o) => o.env);
    expect(missing).toEqual([]);
  });
});
