import type { FakeAdvisory, FakePackage } from '../harness/fake-npm-registry.js';

/** A package.json + lockfile with one vulnerable, two outdated (patch, minor), one major-behind and one current dependency. */
export function dependencyFixture(versions: { leftPad?: string; lodash?: string } = {}): Record<string, string> {
  const leftPad = versions.leftPad ?? '1.1.0';
  const lodash = versions.lodash ?? '4.17.20';
  const manifest = {
    name: 'fixture',
    version: '1.0.0',
    dependencies: { 'left-pad': `^${leftPad}`, lodash: `^${lodash}`, express: '^4.18.0', 'local-thing': 'file:../local-thing' },
    devDependencies: { '@scope/tool': '^2.0.0' },
  };
  const pkg = (name: string, version: string) => ({ version, resolved: `http://127.0.0.1/${name}/-/${name.split('/').pop()}-${version}.tgz`, integrity: 'sha512-AAAA' });
  const lock = {
    name: 'fixture',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'fixture', version: '1.0.0', dependencies: manifest.dependencies, devDependencies: manifest.devDependencies },
      'node_modules/left-pad': pkg('left-pad', leftPad),
      'node_modules/lodash': pkg('lodash', lodash),
      'node_modules/express': pkg('express', '4.18.2'),
      'node_modules/@scope/tool': { ...pkg('@scope/tool', '2.0.0'), dev: true },
    },
  };
  return { 'package.json': `${JSON.stringify(manifest, null, 2)}\n`, 'package-lock.json': `${JSON.stringify(lock, null, 2)}\n` };
}

export const REGISTRY_PACKAGES: Record<string, FakePackage> = {
  'left-pad': { versions: ['1.1.0', '1.2.0', '1.3.0'] },
  lodash: { versions: ['4.17.20', '4.17.21'] },
  express: { versions: ['4.18.2', '5.0.0', '5.1.0'] },
  '@scope/tool': { versions: ['2.0.0', '3.0.0-beta.1'], latest: '2.0.0' },
};

export const ADVISORIES: Record<string, readonly FakeAdvisory[]> = {
  'left-pad': [{ id: 1001, title: 'Prototype pollution in left-pad', severity: 'high', vulnerable_versions: '<1.3.0' }],
};

/**
 * An npm workspaces monorepo: the root names `packages/*`; `@acme/web` depends on the vulnerable
 * left-pad and on its sibling `@acme/core` (a link, never looked up), `@acme/core` on express 4
 * (a major behind). One lockfile at the root, as npm writes it.
 */
export function workspaceFixture(): Record<string, string> {
  const pkg = (name: string, version: string) => ({ version, resolved: `http://127.0.0.1/${name}/-/${name.split('/').pop()}-${version}.tgz`, integrity: 'sha512-AAAA' });
  const root = { name: 'ws-root', private: true, workspaces: ['packages/*'], devDependencies: { '@scope/tool': '^2.0.0' } };
  const web = { name: '@acme/web', version: '1.0.0', dependencies: { 'left-pad': '^1.1.0', '@acme/core': '^1.0.0' } };
  const core = { name: '@acme/core', version: '1.0.0', dependencies: { express: '^4.18.0' } };
  const lock = {
    name: 'ws-root',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'ws-root', workspaces: ['packages/*'], devDependencies: root.devDependencies },
      'node_modules/@acme/core': { resolved: 'packages/core', link: true },
      'node_modules/@acme/web': { resolved: 'packages/web', link: true },
      'node_modules/@scope/tool': { ...pkg('@scope/tool', '2.0.0'), dev: true },
      'node_modules/express': pkg('express', '4.18.2'),
      'node_modules/left-pad': pkg('left-pad', '1.1.0'),
      'packages/core': { name: '@acme/core', version: '1.0.0', dependencies: core.dependencies },
      'packages/web': { name: '@acme/web', version: '1.0.0', dependencies: web.dependencies },
    },
  };
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  return {
    'package.json': json(root),
    'package-lock.json': json(lock),
    'packages/web/package.json': json(web),
    'packages/core/package.json': json(core),
    'packages/web/index.js': 'module.exports = require("left-pad");\n',
  };
}
