import path from 'node:path';

/**
 * Files that commonly hold credentials. They are never indexed, read for the model, or quoted,
 * whatever their content; content-level checks (scrubSecrets) are a second line behind this one.
 */
const SECRET_BASENAMES: readonly RegExp[] = [
  /^\.env(\..*)?$/i, // .env, .env.local, .env.production …
  /^\.envrc$/i,
  /^id_(rsa|dsa|ecdsa|ed25519)(\.pub)?$/i,
  /\.(pem|key|p12|pfx|jks|keystore|kdbx|gpg|asc|ovpn)$/i,
  /^credentials(\..*)?$/i,
  /^\.?netrc$/i,
  /^\.npmrc$/i,
  /^\.pypirc$/i,
  /^\.htpasswd$/i,
  /^\.git-credentials$/i,
  /^secrets?\.(json|ya?ml|toml|env|txt)$/i,
  /^service[-_]?account.*\.json$/i,
  /^terraform\.tfstate(\.backup)?$/i,
  /\.tfvars$/i,
];

const SECRET_DIRS = new Set(['.ssh', '.aws', '.gnupg', '.docker', '.kube']);

/** Templates that document variables without values are safe and useful to read. */
const SAFE_TEMPLATES = /^\.env\.(example|sample|template|dist|defaults)$/i;

export function isSecretPath(relPath: string): boolean {
  const normalized = relPath.replace(/\\/g, '/');
  const base = path.posix.basename(normalized);
  if (SAFE_TEMPLATES.test(base)) return false;
  if (normalized.split('/').some((segment) => SECRET_DIRS.has(segment))) return true;
  return SECRET_BASENAMES.some((re) => re.test(base));
}
