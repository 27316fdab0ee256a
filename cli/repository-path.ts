// A diagnostic's path as CI platforms link it to the repository's files (GitHub annotations, GitLab
// Code Quality): relative to the job's checkout (the current folder), forward slashes, no leading `./`.
// A path outside the current folder stays as given.
import { isAbsolute, relative } from 'node:path';

export function repositoryPath(file: string, cwd?: string): string {
  const rel = cwd !== undefined && isAbsolute(file) && !relative(cwd, file).startsWith('..') ? relative(cwd, file) : file;
  return rel.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}
