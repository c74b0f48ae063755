import fs from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * The process environment overlaid on `.env` (the real environment wins, as with dotenv), as a new
 * object: process.env itself is never mutated, so child processes inherit only what the operator set.
 */
export function readEnvironment(envFile: string, processEnv: NodeJS.ProcessEnv): Record<string, string | undefined> {
  let fromFile: Record<string, string> = {};
  if (fs.existsSync(envFile)) fromFile = parseEnv(fs.readFileSync(envFile, 'utf8')) as Record<string, string>;
  return { ...fromFile, ...processEnv };
}
