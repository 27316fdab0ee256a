// Outputs must not overwrite inputs: `simulate --events ev.jsonl -o ev.jsonl` would empty the events
// before reading them, `compile -o model.nurture` would replace a source. A command lists the files it
// reads and the files it writes (with the flag that names each) and `refuseOverwrites` stops it with a
// usage error (exit 2) before anything is opened. Files are compared as the file system sees them: the
// same device and inode when the file exists (symlinks, hard links, `./x` and `x`), else the real path of
// the folder plus the name. Only regular files (and names not created yet) count: `-o /dev/stdout` twice
// is not a conflict.
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError } from './context.js';

export interface NamedFile {
  /** The flag that names it ("--events", "-o"), or null for a PATH argument (a source, a plan). */
  flag: string | null;
  /** The path as typed (relative to the working folder) or absolute. */
  path: string;
}

const describe = (f: NamedFile): string => (f.flag === null ? `the input \`${f.path}\`` : `\`${f.flag} ${f.path}\``);

/** The file's identity, or null for what is not a regular file (stdin, a device, a pipe, a folder). */
function identity(cwd: string, path: string): string | null {
  const abs = resolve(cwd, path);
  try {
    const st = statSync(abs);
    return st.isFile() ? `${st.dev}:${st.ino}` : null;
  } catch {
    // not created yet: its folder's real path (when the folder exists) and its name
    try {
      return join(realpathSync(dirname(abs)), basename(abs));
    } catch {
      return abs;
    }
  }
}

/**
 * Throws a usage error naming both when an output is one of the inputs or another output.
 * `-` (stdin/stdout) is never a file.
 */
export function refuseOverwrites(cwd: string, inputs: readonly NamedFile[], outputs: readonly (NamedFile & { flag: string })[]): void {
  const seen = new Map<string, { file: NamedFile; input: boolean }>();
  for (const file of inputs) {
    const id = file.path === '-' ? null : identity(cwd, file.path);
    if (id !== null && !seen.has(id)) seen.set(id, { file, input: true });
  }
  for (const file of outputs) {
    const id = file.path === '-' ? null : identity(cwd, file.path);
    if (id === null) continue;
    const other = seen.get(id);
    if (other !== undefined) {
      const why = other.input ? 'writing it would destroy that input' : 'both would write the same file';
      throw new CliError(`${describe(file)} names the same file as ${describe(other.file)}: ${why}; give \`${file.flag}\` another file`);
    }
    seen.set(id, { file, input: false });
  }
}
