// Checker diagnostics -> LSP diagnostics, and publishing: after a check, every file whose diagnostics
// changed (or whose text changed) gets a `publishDiagnostics`, open or not; a file that lost its last
// diagnostic gets an empty list.
import {
  DiagnosticSeverity, DiagnosticTag, type Diagnostic as LspDiagnostic, type PublishDiagnosticsParams,
} from 'vscode-languageserver';
import type { Diagnostic } from '../grammar/diagnostic.js';
import type { Documents } from './documents.js';
import { spanToRange } from './positions.js';

export const SOURCE = 'nurture';

export function toLspDiagnostic(d: Diagnostic, docs: Documents): LspDiagnostic {
  const out: LspDiagnostic = {
    range: spanToRange(d.span),
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: SOURCE,
    message: d.help ? `${d.message}\n${d.help}` : d.message,
  };
  if (d.code === 'NUR302' || d.code === 'NUR307') out.tags = [DiagnosticTag.Unnecessary];
  if (d.related && d.related.length > 0) {
    out.relatedInformation = d.related
      .filter((r) => r.file !== '')
      .map((r) => ({ location: { uri: docs.uriOf(r.file), range: spanToRange(r.span) }, message: r.message }));
  }
  return out;
}

export class DiagnosticPublisher {
  /** What was last published per file (a JSON key), so unchanged files are not re-sent. */
  private readonly last = new Map<string, string>();

  constructor(
    private readonly docs: Documents,
    private readonly send: (params: PublishDiagnosticsParams) => void,
  ) {}

  /**
   * Publishes the diagnostics of `all` for every file whose set changed since the last publication,
   * and for every file in `touched` (edited since the last check: the editor expects an answer).
   */
  publish(all: readonly Diagnostic[], touched: readonly string[]): number {
    const byFile = new Map<string, Diagnostic[]>();
    for (const d of all) {
      const list = byFile.get(d.file);
      if (list) list.push(d);
      else byFile.set(d.file, [d]);
    }
    const edited = new Set(touched);
    const files = new Set<string>([...byFile.keys(), ...this.last.keys(), ...touched]);
    let sent = 0;
    for (const file of [...files].sort()) {
      if (file === '') continue;
      const exists = this.docs.text(file) !== undefined;
      const diags = exists ? (byFile.get(file) ?? []).map((d) => toLspDiagnostic(d, this.docs)) : [];
      const key = JSON.stringify(diags);
      if (this.last.get(file) === key && !edited.has(file)) continue;
      if (diags.length === 0 && !exists) this.last.delete(file);
      else this.last.set(file, key);
      const version = this.docs.version(file);
      this.send({ uri: this.docs.uriOf(file), diagnostics: diags, ...(version !== undefined ? { version } : {}) });
      sent++;
    }
    return sent;
  }
}
