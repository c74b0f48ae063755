/**
 * The CommandRunner adapter: runs a program without a shell, with a timeout (the whole process
 * group is killed), and an environment with every secret-looking variable removed.
 */
import { spawn } from 'node:child_process';
import { childProcessEnv } from '../logging/scrub.js';
import type { CommandRunner } from '../scanners/types.js';

const MAX_OUTPUT = 64 * 1024 * 1024;

export function createCommandRunner(baseEnv: NodeJS.ProcessEnv = process.env): CommandRunner {
  return {
    run(command, args, opts) {
      return new Promise((resolve, reject) => {
        const child = spawn(command, args as string[], {
          cwd: opts.cwd,
          env: childProcessEnv(baseEnv, opts.env),
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: true,
        });
        let stdout = '';
        let stderr = '';
        let output = '';
        let timedOut = false;
        const kill = () => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            child.kill('SIGKILL');
          }
        };
        const timer = setTimeout(() => {
          timedOut = true;
          kill();
        }, opts.timeoutMs);
        const onAbort = () => kill();
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        child.stdout.on('data', (d: Buffer) => {
          if (stdout.length < MAX_OUTPUT) stdout += d.toString('utf8');
          if (output.length < MAX_OUTPUT) output += d.toString('utf8');
        });
        child.stderr.on('data', (d: Buffer) => {
          if (stderr.length < MAX_OUTPUT) stderr += d.toString('utf8');
          if (output.length < MAX_OUTPUT) output += d.toString('utf8');
        });
        child.on('error', (err) => {
          clearTimeout(timer);
          opts.signal?.removeEventListener('abort', onAbort);
          reject(new Error(`cannot run ${command}: ${err.message}`));
        });
        child.on('close', (code) => {
          clearTimeout(timer);
          opts.signal?.removeEventListener('abort', onAbort);
          resolve({ code, stdout, stderr, output, timedOut });
        });
      });
    },
  };
}
