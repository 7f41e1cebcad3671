/**
 * The configurable part of the rules: how many entries a run may hold, and which secrets are masked
 * before anything is stored. The decider applies it; it holds no I/O.
 */
export interface RunPolicy {
  maxEntriesPerRun: number;
  /** Masks secrets in a line of text; the masked text is what the event, the entry and the snapshot hold. */
  redact(text: string): string;
}

export const REDACTED = '***';

/**
 * What leaks into batch logs by accident, as a CI system masks it: bearer tokens, JWTs, passwords
 * inside URLs, AWS-style access keys, and key=value secrets. Each match is replaced by ***.
 */
export const DEFAULT_REDACT_PATTERNS: readonly string[] = [
  // A bearer credential: 8+ token characters with at least one digit or symbol ("bearer bonds" is prose).
  '(?<=\\bBearer\\s+)(?=[A-Za-z0-9\\-._~+/]*[0-9\\-._~+/])[A-Za-z0-9\\-._~+/]{8,}=*',
  '\\beyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*',
  '(?<=[a-z][a-z0-9+.-]*://[^/\\s:@]*:)[^@\\s/]+(?=@)',
  '\\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[A-Z0-9]{16}\\b',
  '(?<=\\b(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|token)\\s*[=:]\\s*)[^\\s&;,\'"]+',
];

/** Compiles patterns (case-insensitive, global); a bad pattern is a start-up error naming it. */
export function compileRedactor(patterns: readonly string[]): (text: string) => string {
  const regexes = patterns.map((source) => {
    try {
      return new RegExp(source, 'gi');
    } catch (error) {
      throw new Error(`REDACT_PATTERNS: invalid regular expression ${JSON.stringify(source)}: ${(error as Error).message}`);
    }
  });
  if (regexes.length === 0) return (text) => text;
  return (text) => regexes.reduce((out, re) => out.replace(re, REDACTED), text);
}

export const DEFAULT_POLICY: RunPolicy = {
  maxEntriesPerRun: 100_000,
  redact: compileRedactor(DEFAULT_REDACT_PATTERNS),
};
