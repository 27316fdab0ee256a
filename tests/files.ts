// Files the test suites walk: every `.nurture` file below a folder, sorted, as absolute paths.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function nurtureFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...nurtureFiles(p));
    else if (name.endsWith('.nurture')) out.push(p);
  }
  return out;
}
