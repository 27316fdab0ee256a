// The types of plan-validator.generated.js, which `npm run build` writes (runtime/write-plan-validator.ts).
import type { ErrorObject } from 'ajv/dist/2020.js';

/** The plan schema's validator: true when `data` matches; otherwise `validate.errors` says why. */
export declare const validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
export default validate;
