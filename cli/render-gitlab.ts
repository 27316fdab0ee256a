// `nurture check --format gitlab`: a GitLab Code Quality report (artifacts:reports:codequality), a JSON
// array of {description, check_name, fingerprint, severity, location: {path, lines: {begin}}}.
// GitLab compares the reports of two pipelines by fingerprint, so a fingerprint must not change when an
// unrelated edit moves the line: it hashes the file, the code and the message (and, for identical
// ones, which occurrence it is), not the position. Paths as GitLab links them: ./repository-path.ts.
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../grammar/diagnostic.js';
import { repositoryPath } from './repository-path.js';

export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: { path: string; lines: { begin: number } };
}

export function toCodeQuality(diagnostics: readonly Diagnostic[], cwd: string): CodeQualityIssue[] {
  const seen = new Map<string, number>();
  return diagnostics.map((d) => {
    const path = repositoryPath(d.file, cwd);
    const key = `${path}\u0000${d.code}\u0000${d.message}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return {
      description: d.help ? `${d.message} (help: ${d.help})` : d.message,
      check_name: d.code,
      fingerprint: createHash('sha256').update(`${key}\u0000${n}`).digest('hex'),
      severity: d.severity === 'error' ? 'major' : 'minor',
      location: { path, lines: { begin: d.span.line } },
    };
  });
}

export function renderGitlab(diagnostics: readonly Diagnostic[], cwd: string): string {
  return JSON.stringify(toCodeQuality(diagnostics, cwd), null, 2) + '\n';
}
