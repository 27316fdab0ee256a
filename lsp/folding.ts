// Folding ranges: every declaration and block spanning lines (journey steps with bodies included),
// and runs of two or more comment lines. A block folds up to the line before its closing `}`.
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import type { SourceFile, Span, Step, JourneyItem } from '../grammar/ast.js';

export function foldingRanges(file: SourceFile | undefined, text: string): FoldingRange[] {
  if (!file) return [];
  const out: FoldingRange[] = [];
  const block = (span: Span) => {
    const start = span.line - 1;
    const closes = text[span.end - 1] === '}';
    const end = closes ? span.endLine - 2 : span.endLine - 1;
    if (end > start) out.push({ startLine: start, endLine: end });
  };
  const steps = (list: readonly (Step | JourneyItem)[] | undefined) => {
    for (const s of list ?? []) {
      switch (s.kind) {
        case 'if':
          for (const b of s.branches) { block(b.span); steps(b.body); }
          if (s.otherwise) steps(s.otherwise);
          break;
        case 'split':
          block(s.span);
          for (const b of s.branches) { block(b.span); steps(b.body); }
          break;
        case 'repeat': block(s.span); steps(s.body); break;
        case 'waitFor': case 'waitUntil': block(s.span); steps(s.then); steps(s.timeout); break;
        default: break;
      }
    }
  };
  for (const d of file.declarations) {
    block(d.span);
    if (d.kind === 'journey') steps(d.items);
    else if (d.kind === 'threshold' || d.kind === 'on') steps(d.actions);
  }
  // comment runs
  let runStart = -1;
  let prevLine = -2;
  for (const c of file.comments) {
    if (text.slice(c.span.start - (c.span.column - 1), c.span.start).trim() !== '') continue; // after code
    const line = c.span.line - 1;
    if (line === prevLine + 1 && runStart >= 0) prevLine = line;
    else {
      if (runStart >= 0 && prevLine > runStart) out.push({ startLine: runStart, endLine: prevLine, kind: FoldingRangeKind.Comment });
      runStart = line;
      prevLine = line;
    }
  }
  if (runStart >= 0 && prevLine > runStart) out.push({ startLine: runStart, endLine: prevLine, kind: FoldingRangeKind.Comment });
  out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  return out;
}
