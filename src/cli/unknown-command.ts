import type { Command } from 'commander';

/**
 * The first word of `args` that should name a command but names none, or undefined. Global
 * options and their values are skipped (`--repo X migrate`); `help` is commander's own.
 */
export function findUnknownCommand(program: Command, args: readonly string[]): string | undefined {
  const takesValue = new Set(program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f))));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return undefined;
    if (arg.startsWith('-')) {
      if (takesValue.has(arg)) i++; // `--repo X`; `--repo=X` is one word
      continue;
    }
    const known = arg === 'help' || program.commands.some((c) => c.name() === arg || c.aliases().includes(arg));
    return known ? undefined : arg;
  }
  return undefined;
}
