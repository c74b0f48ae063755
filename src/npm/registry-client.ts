/**
 * The npm registry adapter (NpmRegistry port): abbreviated package metadata over HTTP from the
 * configured registry (TEAMMATE_NPM_REGISTRY), each request with a timeout, responses checked
 * with zod. Private registries that need a token are not supported yet.
 */
import { z } from 'zod';
import type { NpmPackageInfo, NpmRegistry } from '../scanners/types.js';

const packument = z.looseObject({
  name: z.string(),
  'dist-tags': z.record(z.string(), z.string()).default({}),
  versions: z.record(z.string(), z.unknown()).default({}),
});

export interface NpmRegistryOptions {
  /** Base URL, e.g. https://registry.npmjs.org */
  readonly url: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

export function createNpmRegistryClient(opts: NpmRegistryOptions): NpmRegistry {
  const base = opts.url.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const doFetch = opts.fetch ?? fetch;
  return {
    url: `${base}/`,
    async packageInfo(name, signal) {
      // Scoped names keep their @ and escape the slash: @scope%2fname.
      const url = `${base}/${name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name)}`;
      const timeout = AbortSignal.timeout(timeoutMs);
      let res: Response;
      try {
        res = await doFetch(url, {
          headers: { accept: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8' },
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (err) {
        if (timeout.aborted) throw new Error(`npm registry ${base} did not answer within ${timeoutMs} ms (${name})`, { cause: err });
        throw new Error(`cannot reach the npm registry ${base}: ${(err as Error).message}`, { cause: err });
      }
      if (res.status === 404) return undefined;
      if (!res.ok) throw new Error(`npm registry ${base} answered HTTP ${res.status} for ${name}`);
      const parsed = packument.safeParse(await res.json());
      if (!parsed.success) throw new Error(`npm registry ${base} sent unexpected metadata for ${name}`);
      return { name: parsed.data.name, distTags: parsed.data['dist-tags'], versions: Object.keys(parsed.data.versions) } satisfies NpmPackageInfo;
    },
  };
}
