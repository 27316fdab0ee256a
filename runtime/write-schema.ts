// Writes runtime/plan.schema.json from runtime/plan-schema.ts (the source of truth).
// Usage, from the repository root after `npm run build`: node dist/runtime/write-schema.js
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { planSchemaJson } from './plan-schema.js';

const out = resolve(process.argv[2] ?? 'runtime/plan.schema.json');
writeFileSync(out, planSchemaJson());
process.stdout.write(`wrote ${out}\n`);
