// `nurture check --format json`: {"diagnostics": [{"file", "line", "column", "endLine", "endColumn",
// "severity", "code", "message"}]} (LANGUAGE.md section 10), 1-based lines and columns (endColumn
// exclusive), paths as given. Optional keys follow the required ones: "help", then "related".
import type { Diagnostic } from '../grammar/diagnostic.js';

export interface JsonRelated {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning';
  code: string;
  message: string;
  help?: string;
  related?: JsonRelated[];
}

export function toJsonDiagnostic(d: Diagnostic): JsonDiagnostic {
  // Built key by key: JSON.stringify keeps insertion order, and the required keys come first.
  const out: JsonDiagnostic = {
    file: d.file,
    line: d.span.line,
    column: d.span.column,
    endLine: d.span.endLine,
    endColumn: d.span.endColumn,
    severity: d.severity,
    code: d.code,
    message: d.message,
  };
  if (d.help !== undefined && d.help !== '') out.help = d.help;
  if (d.related && d.related.length > 0) {
    out.related = d.related.map((r) => ({
      file: r.file,
      line: r.span.line,
      column: r.span.column,
      endLine: r.span.endLine,
      endColumn: r.span.endColumn,
      message: r.message,
    }));
  }
  return out;
}

export function renderJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify({ diagnostics: diagnostics.map(toJsonDiagnostic) }, null, 2) + '\n';
}
