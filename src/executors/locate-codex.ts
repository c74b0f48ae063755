/**
 * Whether the Codex CLI can run here: `@openai/codex-sdk` importable and its native binary
 * (`@openai/codex`, an optional per-platform package npm may skip) found — or the binary named by
 * TEAMMATE_CODEX_PATH. The SDK is imported lazily so a missing package fails the codex tasks
 * (and `doctor`) with a clear reason instead of stopping the whole bot at start-up.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export type CodexSdk = typeof import('@openai/codex-sdk');

export const CODEX_INSTALL_HINT = 'install it with `npm ci` (optional dependencies included: not `--omit=optional`) or `npm install @openai/codex-sdk@0.163.0`, or set TEAMMATE_CODEX_PATH to a codex binary';

export type CodexLocation = { readonly ok: true; readonly sdk: CodexSdk; readonly path?: string } | { readonly ok: false; readonly reason: string };

export async function locateCodex(codexPath?: string): Promise<CodexLocation> {
  let sdk: CodexSdk;
  try {
    sdk = await import('@openai/codex-sdk');
  } catch (err) {
    return { ok: false, reason: `the Codex SDK (@openai/codex-sdk) is not installed (${firstLine(err)}); ${CODEX_INSTALL_HINT}` };
  }
  if (codexPath) {
    try {
      fs.accessSync(codexPath, fs.constants.X_OK);
      if (!fs.statSync(codexPath).isFile()) throw new Error('not a file');
    } catch {
      return { ok: false, reason: `TEAMMATE_CODEX_PATH (${codexPath}) is not an executable file; fix the path or unset it to use the bundled CLI` };
    }
    return { ok: true, sdk, path: codexPath };
  }
  try {
    // The constructor resolves the platform binary and throws when npm left it out.
    new sdk.Codex({ env: { PATH: '' } });
  } catch (err) {
    return { ok: false, reason: `the Codex CLI binary (@openai/codex for ${process.platform}-${process.arch}) is missing (${firstLine(err)}); ${CODEX_INSTALL_HINT}` };
  }
  return { ok: true, sdk };
}

/** The CLI's `--version` line, proving the binary runs on this machine (right architecture, libc). */
export async function codexVersion(codexPath?: string): Promise<string> {
  return (await runCodex(['--version'], codexPath)).trim();
}

/**
 * Starts the CLI's own Linux sandbox around `true`, as every command of a codex task will be. In
 * a container it often cannot (bubblewrap needs user namespaces, which Docker's default seccomp
 * and AppArmor profiles refuse): better said by doctor than by every task failing. Throws with
 * the sandbox's own message.
 */
export async function probeCodexSandbox(codexPath?: string): Promise<void> {
  await runCodex(['sandbox', '--', 'true'], codexPath);
}

async function runCodex(args: readonly string[], codexPath?: string): Promise<string> {
  const opts = { timeout: 15_000, env: { PATH: process.env.PATH ?? '' } };
  if (codexPath) return (await execFileAsync(codexPath, [...args], opts)).stdout;
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  let launcher: string;
  try {
    launcher = require.resolve('@openai/codex/bin/codex.js');
  } catch {
    // Not hoisted: resolve it from the SDK, whose dependency it is (the SDK is ESM-only, hence import.meta).
    launcher = createRequire(import.meta.resolve('@openai/codex-sdk')).resolve('@openai/codex/bin/codex.js');
  }
  return (await execFileAsync(process.execPath, [launcher, ...args], opts)).stdout;
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0]!.slice(0, 200);
}
