// Workspaces for the `nurture diff` tests: an example copied twice (old/, new/) with edits to new/.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeWorkspace, REPO } from '../cli/helpers.js';

/** old/ and new/ copies of an example, `edit` applied to new/ (file → [text, replacement]). */
export function editedExample(example: string, edits: Record<string, [string, string][]>): string {
  const dir = makeWorkspace({});
  cpSync(join(REPO, 'examples', example), join(dir, 'old'), { recursive: true });
  cpSync(join(REPO, 'examples', example), join(dir, 'new'), { recursive: true });
  for (const [file, pairs] of Object.entries(edits)) {
    const path = join(dir, 'new', file);
    let text = readFileSync(path, 'utf8');
    for (const [from, to] of pairs) {
      if (!text.includes(from)) throw new Error(`${file}: no \`${from}\` to edit`);
      text = text.replace(from, to);
    }
    writeFileSync(path, text);
  }
  return dir;
}

