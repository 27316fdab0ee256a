// `nurture check --format sarif`: a SARIF 2.1.0 log (one run) for code-scanning tools.
// Columns are UTF-16 code units (the default `columnKind`), end columns exclusive, like our spans.
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Span } from '../grammar/ast.js';
import type { Diagnostic } from '../grammar/diagnostic.js';
import { codeInfo } from './codes.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** A SARIF artifact URI for a path as given: relative paths stay relative (percent-encoded). */
export function artifactUri(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  if (isAbsolute(path) || /^[A-Za-z]:\//.test(slashed)) return pathToFileURL(path).href;
  return slashed
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

function region(span: Span) {
  return {
    startLine: span.line,
    startColumn: span.column,
    endLine: span.endLine,
    endColumn: span.endColumn,
  };
}

function location(file: string, span: Span) {
  return { physicalLocation: { artifactLocation: { uri: artifactUri(file) }, region: region(span) } };
}

export function toSarif(diagnostics: readonly Diagnostic[], version: string): object {
  const used = [...new Set(diagnostics.map((d) => d.code as string))].sort();
  const ruleIndex = new Map(used.map((code, i) => [code, i]));
  const rules = used.map((code) => {
    const info = codeInfo(code);
    return {
      id: code,
      name: info.name,
      shortDescription: { text: info.summary },
      defaultConfiguration: { level: info.severity },
    };
  });
  const results = diagnostics.map((d) => {
    const result: Record<string, unknown> = {
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code),
      level: d.severity,
      message: { text: d.help ? `${d.message}\nhelp: ${d.help}` : d.message },
      locations: [location(d.file, d.span)],
    };
    if (d.related && d.related.length > 0) {
      result['relatedLocations'] = d.related.map((r, id) => ({
        id,
        ...location(r.file, r.span),
        message: { text: r.message },
      }));
    }
    return result;
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'nurture',
            version,
            semanticVersion: version,
            rules,
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export function renderSarif(diagnostics: readonly Diagnostic[], version: string): string {
  return JSON.stringify(toSarif(diagnostics, version), null, 2) + '\n';
}
