// The workspace: many files, one namespace. Keeps each file's parse result so that a changed file
// is re-parsed alone; the checked model is rebuilt from the cached syntax trees.
import { parseFile, type ParseResult } from '../grammar/parse.js';
import { compareDiagnostics, type Diagnostic } from '../grammar/diagnostic.js';

export interface CheckResult {
  diagnostics: Diagnostic[]; // sorted with compareDiagnostics
}

export class Workspace {
  private readonly parsed = new Map<string, { text: string; result: ParseResult }>();

  /** Adds or replaces a file; re-parses only when the text changed. */
  setFile(path: string, text: string): void {
    const old = this.parsed.get(path);
    if (old && old.text === text) return;
    this.parsed.set(path, { text, result: parseFile(text, path) });
  }

  removeFile(path: string): void {
    this.parsed.delete(path);
  }

  files(): string[] {
    return [...this.parsed.keys()].sort();
  }

  text(path: string): string | undefined {
    return this.parsed.get(path)?.text;
  }

  parseResult(path: string): ParseResult | undefined {
    return this.parsed.get(path)?.result;
  }

  check(): CheckResult {
    const diagnostics: Diagnostic[] = [];
    for (const path of this.files()) diagnostics.push(...this.parsed.get(path)!.result.diagnostics);
    return { diagnostics: diagnostics.sort(compareDiagnostics) };
  }
}

/** Convenience for one-shot callers (CLI, tests). */
export function checkSources(sources: { path: string; text: string }[]): CheckResult {
  const ws = new Workspace();
  for (const s of sources) ws.setFile(s.path, s.text);
  return ws.check();
}
