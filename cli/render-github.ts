// `nurture check --format github`: one GitHub Actions workflow command per diagnostic, which GitHub
// shows as an annotation on the pull request:
//   ::error file=journeys/welcome.nurture,line=12,col=8,endLine=12,endColumn=20,title=NUR100::unknown content `welcom_email`
// The help and related places follow the message on their own lines (escaped newlines). `file=` is the
// path as GitHub links it to the pull request's files (./repository-path.ts).
import type { Diagnostic } from '../grammar/diagnostic.js';
import { repositoryPath } from './repository-path.js';

/** Escaping of a command's message (data). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of a command's property values: the data escapes, plus `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function githubCommand(d: Diagnostic, cwd?: string): string {
  const props = [
    `file=${escapeProperty(repositoryPath(d.file, cwd))}`,
    `line=${d.span.line}`,
    `col=${d.span.column}`,
    `endLine=${d.span.endLine}`,
    `endColumn=${d.span.endColumn}`,
    `title=${escapeProperty(d.code)}`,
  ].join(',');
  let message = d.message;
  if (d.help) message += `\nhelp: ${d.help}`;
  for (const r of d.related ?? []) message += `\nnote: ${r.message} (${r.file}:${r.span.line}:${r.span.column})`;
  return `::${d.severity} ${props}::${escapeData(message)}`;
}

export function renderGithub(diagnostics: readonly Diagnostic[], cwd?: string): string {
  return diagnostics.map((d) => githubCommand(d, cwd) + '\n').join('');
}
