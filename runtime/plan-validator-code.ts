// The plan schema's validator as JavaScript source, made once at build time (runtime/write-plan-validator.ts)
// instead of at every start: compiling the schema with ajv took ~0.45 s, half of a `nurture test` or
// `nurture compile` run, and it builds functions from text (`new Function`) in every process that loads a
// plan. The generated module is self-contained: no import, no eval, the same code ajv would have compiled.
import { createRequire } from 'node:module';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standalone from 'ajv/dist/standalone/index.js'; // CommonJS: its function is `default`
import { planSchema } from './plan-schema.js';

/** Where ajv's generated code asks for one of its runtime helpers (`require("ajv/dist/runtime/equal").default`). */
const HELPER_RE = /require\("(ajv\/dist\/runtime\/[a-z0-9_]+)"\)\.default/g;

/** How ajv reads the plan schema (tests compile it the same way to compare). */
export const PLAN_AJV_OPTIONS = {
  strict: true,
  allErrors: false,
  allowUnionTypes: true,
  discriminator: true,
  verbose: true, // the loader's messages use the failing value and its schema (load-plan.ts)
  inlineRefs: false, // one function per definition: half the code of inlining every reference
} as const;

/** The validator's module text (ESM: `export const validate`). */
export function planValidatorCode(): string {
  const ajv = new Ajv2020({ ...PLAN_AJV_OPTIONS, code: { source: true, esm: true, optimize: true } });
  const validate = ajv.compile(planSchema);
  // The helpers (deep equality for `uniqueItems`, code-point length for `minLength`) are self-contained
  // named functions: their own source goes in place of the `require`, which an ES module cannot call.
  const require = createRequire(import.meta.url);
  const text = standalone.default(ajv, validate).replace(HELPER_RE, (_: string, mod: string) => {
    const fn = (require(mod) as { default: (...args: unknown[]) => unknown }).default;
    return `(${fn.toString()})`;
  });
  if (/\brequire\(|\bimport\b/.test(text.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) {
    throw new Error('the generated plan validator still imports something: see HELPER_RE in runtime/plan-validator-code.ts');
  }
  return `// Generated from runtime/plan-schema.ts by runtime/write-plan-validator.ts (npm run build). Do not edit.\n${text}\n`;
}
