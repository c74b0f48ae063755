/** gitleaks' configuration format (config/gitleaks.toml), as data; regexes in Go syntax. */
export interface GitleaksAllowlist {
  /** OR (default): any check allows; AND: every check present must. */
  readonly condition?: 'AND' | 'OR';
  /** What `regexes` test: the secret (default), the whole match, or the line. */
  readonly regexTarget?: 'secret' | 'match' | 'line';
  readonly paths?: readonly string[];
  readonly regexes?: readonly string[];
  /** Lower-case words; a secret containing one is allowed. */
  readonly stopwords?: readonly string[];
}

export interface GitleaksRule {
  readonly id: string;
  readonly regex?: string;
  /** The rule applies only to files whose path matches. */
  readonly path?: string;
  /** Which capture group is the secret; default: the first non-empty one, else the whole match. */
  readonly secretGroup?: number;
  /** A secret with Shannon entropy at or below this is not reported. */
  readonly entropy?: number;
  /** The rule runs only where one of these (lower-case) appears. */
  readonly keywords?: readonly string[];
  readonly allowlists?: readonly GitleaksAllowlist[];
}

export interface GitleaksConfig {
  readonly allowlist: GitleaksAllowlist;
  readonly rules: readonly GitleaksRule[];
}
