// The checker's entry point: syntax trees of a workspace -> checked model + diagnostics.
// Never throws on a partial tree; reads nothing but the trees it is given.
import type { SourceFile } from '../grammar/ast.js';
import type { Diagnostic } from '../grammar/diagnostic.js';
import { checkDeclaration } from './check-decls.js';
import { checkLimits } from './check-limits.js';
import { Context, emptyModel } from './context.js';
import { checkCycles } from './dependencies.js';
import type { Model } from './model.js';
import { Reporter } from './reporter.js';
import { collectSymbols } from './symbols.js';

export interface CheckOutput {
  /** The checker's own diagnostics (not the parser's), unsorted. */
  diagnostics: Diagnostic[];
  model: Model;
}

/**
 * Checks a workspace: all files share one namespace, in any order. Declaration order, where it
 * matters (handlers, thresholds, journeys' priority ties), is (file path, position).
 */
export function checkWorkspace(files: readonly SourceFile[]): CheckOutput {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const model = emptyModel(sorted.map((f) => f.path));
  const reporter = new Reporter();
  const ctx = new Context(model, reporter);
  collectSymbols(ctx, sorted);
  for (const file of sorted) {
    ctx.file = file.path;
    for (const decl of file.declarations) checkDeclaration(ctx, decl);
    checkLimits(ctx, file);
  }
  checkCycles(ctx);
  return { diagnostics: reporter.diagnostics, model };
}
