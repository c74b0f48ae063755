/**
 * The README documents what exists: every command and every option commander knows, the console's
 * own commands and the `in <repo>:` prefix — derived from the code so a new flag cannot go undocumented.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerCommands } from '../../src/cli/commands.js';
import { PROJECT_ROOT } from '../harness/cli.js';

const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
const commandLine = readme.slice(readme.indexOf('## Command line'), readme.indexOf('## Configuration'));

describe('README → Command line', () => {
  const program = new Command().name('teammate');
  registerCommands(program);

  it('has a row for every command with each of its options', () => {
    const missing: string[] = [];
    for (const cmd of program.commands) {
      const row = commandLine.split('\n').find((l) => l.startsWith(`| \`teammate ${cmd.name()}`));
      if (!row) {
        missing.push(cmd.name());
        continue;
      }
      for (const o of cmd.options) if (o.long && !row.includes(o.long)) missing.push(`${cmd.name()} ${o.long}`);
    }
    expect(missing).toEqual([]);
  });

  it('documents the console commands and how to pick a repository in a question', () => {
    for (const c of ['/repo', '/new', '/help', '/quit']) expect(commandLine, c).toContain(`\`${c}`);
    expect(readme).toContain('`in <repo>: …`');
  });
});
