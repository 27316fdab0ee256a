// The `expect …` statements that `nurture test` shows for a failure, as written: found in the source
// by the parser (the statement's span, so a condition over several lines is whole) and put on one line
// without its comments (grammar/scan.ts). The runtime's test runner reads no source text itself.
import type { Span } from '../grammar/ast.js';
import { parseFile } from '../grammar/parse.js';
import { codeText } from '../grammar/scan.js';
import type { Loc } from '../runtime/plan-types.js';

/** For `TestSources.expect`: the statement at a plan place, from the text of that plan file. */
export function expectSource(text: (file: number) => string | undefined): (loc: Loc) => string | undefined {
  const spans = new Map<number, Map<string, Span>>(); // per plan file: `line:column` → statement span
  return (loc) => {
    const [file, line, column] = loc;
    const source = text(file);
    if (source === undefined) return undefined;
    let byPlace = spans.get(file);
    if (!byPlace) {
      byPlace = new Map();
      for (const decl of parseFile(source, '').file.declarations) {
        if (decl.kind !== 'test') continue;
        for (const st of decl.statements) if (st.kind === 'expect') byPlace.set(`${st.span.line}:${st.span.column}`, st.span);
      }
      spans.set(file, byPlace);
    }
    const span = byPlace.get(`${line}:${column}`);
    return span ? codeText(source, span.start, span.end) : undefined;
  };
}
