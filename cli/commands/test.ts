// `nurture test PATH… [--format text|json|junit] [--filter TEXT]`
// Runs the workspace's `test` blocks on the compiled plan with a simulated clock (runtime/test-runner.ts).
// Exit status: 0 every test passed, 1 a test failed (or the workspace has errors, or --filter matched
// nothing), 2 usage or I/O problem. The last line of the text form is always `N passed, N failed`.
import type { Command } from '../command.js';
import { useColor } from '../context.js';

export const TEST_FORMATS = ['text', 'json', 'junit'] as const;

export const test: Command = {
  name: 'test',
  summary: 'run the test blocks of a workspace',
  usage: 'nurture test PATH… [--format text|json|junit] [--filter TEXT]',
  description:
    'Compiles the workspace (or loads a plan .json) and runs every `test "…" { … }` block against it\n' +
    'with a simulated clock. A failed `expect` is shown with its place in the sources and the state it saw.',
  flags: [
    { name: 'format', kind: 'string', placeholder: 'FORMAT', choices: TEST_FORMATS, description: 'text (default), json, or junit (JUnit XML, for CI test reports)' },
    { name: 'filter', kind: 'string', placeholder: 'TEXT', description: 'only the tests whose name contains TEXT (case-insensitive)' },
  ],
  epilog: [
    'Exit status: 0 all tests passed, 1 a test failed or the workspace has errors, 2 usage or I/O problem.',
    '',
    'Examples:',
    '  nurture test .',
    '  nurture test examples/acme --filter webinar',
    '  nurture test plan.json --format json',
    '  nurture test . --format junit > nurture-tests.xml',
  ],
  async run(args, ctx) {
    const format = args.string('format') ?? 'text';
    const filter = args.string('filter');
    const { planFromArgs } = await import('../workspace-plan.js');
    const loaded = await planFromArgs(args.positionals, ctx, 'test');
    if (typeof loaded === 'number') return loaded;
    const { runPlanTests } = await import('../../runtime/test-runner.js');
    const { expectSource } = await import('../expect-source.js');
    const results = runPlanTests(loaded.plan, { filter, sources: { display: loaded.display, expect: expectSource(loaded.text) } });
    const passed = results.filter((r) => r.passed).length;
    const failed = results.length - passed;
    const noMatch = filter !== undefined && results.length === 0 && loaded.plan.tests.length > 0;

    if (format === 'json') {
      ctx.stdout.write(JSON.stringify({ tests: results, passed, failed }, null, 2) + '\n');
    } else if (format === 'junit') {
      const { renderJunit } = await import('../render-junit.js');
      ctx.stdout.write(renderJunit(results));
    } else {
      const color = useColor(ctx.stdout, ctx.env);
      const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
      let out = '';
      for (const r of results) {
        out += r.passed ? `${paint('32', '✓')} ${r.name}\n` : `${paint('31', '✗')} ${r.name}\n`;
        for (const f of r.failures) {
          out += `  ${paint('1', `${f.file}:${f.line}:${f.column}`)} ${f.expect}\n`;
          out += `    at ${f.at}:\n`;
          for (const line of f.actual) out += `      ${line}\n`;
        }
        if (r.error !== null) out += `  ${paint('31', 'error:')} ${r.error}\n`;
      }
      if (noMatch) out += `no test name contains "${filter}"\n`;
      else if (results.length === 0) out += 'no tests in this workspace\n';
      out += `${passed} passed, ${failed} failed\n`;
      ctx.stdout.write(out);
    }
    if (noMatch && format !== 'text') ctx.stderr.write(`nurture: no test name contains "${filter}"\n`);
    return failed > 0 || noMatch ? 1 : 0;
  },
};
