// Formatting keeps the meaning, as the runtime sees it: the plan compiled from the formatted sources
// equals the plan of the originals, except source locations and the hashes of the texts. Every example
// workspace is formatted with a deliberately messy layout first, so that the formatter has work to do.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSources } from '../../compiler/workspace.js';
import { compilePlan } from '../../compiler/lower/index.js';
import { formatSource } from '../../formatter/format.js';
import { nurtureFiles, ROOT } from './helpers.js';

type Source = { path: string; text: string };

function planWithoutLocations(sources: Source[]): unknown {
  const { diagnostics, model } = checkSources(sources);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const plan = compilePlan(model, sources, { compilerVersion: 'test' }) as unknown as Record<string, unknown>;
  return JSON.parse(JSON.stringify({ ...plan, source: null }), (key, value: unknown) => (key === 'loc' ? undefined : value));
}

/** Same tokens and blank lines (the style keeps those), worse layout: indentation, spaces around punctuation. */
function mess(text: string): string {
  return text
    .split('\n')
    .map((line, i) => (line.trim().startsWith('#') || line.includes('"') ? line : `${' '.repeat(i % 3)}${line.replace(/ \{$/, '{').replace(/, /g, ' ,  ')}`))
    .join('\n');
}

const EXAMPLES = join(ROOT, 'examples');
const workspaces = readdirSync(EXAMPLES).filter((n) => statSync(join(EXAMPLES, n)).isDirectory()).sort();

describe('the plan of the formatted sources equals the plan of the originals', () => {
  for (const name of workspaces) {
    it(name, async () => {
      const sources = nurtureFiles(join(EXAMPLES, name)).map((f) => ({ path: relative(ROOT, f), text: readFileSync(f, 'utf8') }));
      const messy = sources.map((s) => ({ ...s, text: mess(s.text) }));
      const formatted = await Promise.all(messy.map(async (s) => ({ ...s, text: await formatSource(s.text, s.path) })));
      expect(formatted.map((s) => s.text)).toEqual(sources.map((s) => s.text)); // the examples are canonical
      expect(planWithoutLocations(messy)).toEqual(planWithoutLocations(sources));
      expect(planWithoutLocations(formatted)).toEqual(planWithoutLocations(sources));
    }, 60_000);
  }
});
