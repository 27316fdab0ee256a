// How fast is `check`? Generates a realistic 50,000-line workspace in memory, then times
//   (a) lexing + parsing every file (`parseFile`),
//   (b) the full check (parse + check) through `checkSources`,
//   (c) `JSON.parse` of a JSON text of the same size in bytes describing the same kinds of things,
// each after warm-up runs, reporting the best and the median of several runs, the process CPU time of
// the check, and the ratio check / JSON.parse (a machine-independent yardstick).
//
//   npm run build && npm run bench:check [-- --lines N --runs R]
import { checkSources } from '../compiler/workspace.js';
import { parseFile } from '../grammar/parse.js';
import { generateJson } from './generate-json.js';
import { generateWorkspace } from './generate-workspace.js';
import { fmt, parseOptions, time } from './timing.js';

function bench(): number {
  const { lines, runs, warmups } = parseOptions(process.argv.slice(2));
  const ws = generateWorkspace({ lines });
  const sources = ws.files;
  const json = generateJson(ws.bytes);
  const jsonBytes = Buffer.byteLength(json, 'utf8');

  const out = (s: string) => process.stdout.write(s + '\n');
  out(`nurture check benchmark (node ${process.version}, ${runs} runs after ${warmups} warm-ups)`);
  out(`workspace: ${ws.lines} lines, ${ws.bytes} bytes, ${sources.length} files, ${ws.campaigns} campaigns`);
  out(`json:      ${jsonBytes} bytes (${(((jsonBytes - ws.bytes) / ws.bytes) * 100).toFixed(1)}% vs workspace)`);

  // Correctness first: the generated workspace must be clean.
  const result = checkSources(sources);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  const warnings = result.diagnostics.length - errors.length;
  out(`diagnostics: ${errors.length} errors, ${warnings} warnings`);
  for (const d of result.diagnostics.slice(0, 10)) {
    out(`  ${d.file}:${d.span.line}:${d.span.column} ${d.severity}[${d.code}] ${d.message}`);
  }

  const parse = time(() => {
    for (const s of sources) parseFile(s.text, s.path);
  }, warmups, runs);
  const check = time(() => {
    checkSources(sources);
  }, warmups, runs);
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  checkSources(sources);
  const cpu = process.cpuUsage(cpu0);
  const checkWall = Number(process.hrtime.bigint() - wall0) / 1e6;
  const jsonParse = time(() => {
    JSON.parse(json);
  }, warmups, runs);

  out('');
  out(`                 best      median`);
  out(`lex+parse   ${fmt(parse.best)} ${fmt(parse.median)}`);
  out(`check       ${fmt(check.best)} ${fmt(check.median)}`);
  out(`JSON.parse  ${fmt(jsonParse.best)} ${fmt(jsonParse.median)}`);
  out('');
  out(`check CPU time (one run): ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms ` +
    `(user ${(cpu.user / 1000).toFixed(1)}, system ${(cpu.system / 1000).toFixed(1)}; wall ${checkWall.toFixed(1)} ms)`);
  out(`ratio check / JSON.parse: ${(check.median / jsonParse.median).toFixed(1)}x (median), ` +
    `${(check.best / jsonParse.best).toFixed(1)}x (best)`);
  out(`throughput: ${Math.round(ws.lines / (check.median / 1000)).toLocaleString('en-US')} lines/s checked`);
  return errors.length > 0 ? 1 : 0;
}

process.exitCode = bench();
