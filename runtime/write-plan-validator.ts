// Writes the plan schema's validator (runtime/plan-validator-code.ts) where the loader imports it from:
// runtime/ (for the bundler and the tests, which read the sources) and dist/runtime/ (for the compiled
// modules). Run by `npm run build`, after tsc.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { planValidatorCode } from './plan-validator-code.js';

const code = planValidatorCode();
for (const dir of ['../../runtime/', './']) {
  writeFileSync(fileURLToPath(new URL(`${dir}plan-validator.generated.js`, import.meta.url)), code);
}
