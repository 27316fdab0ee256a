// The runtime engine's public API.
export { createRuntime, actionToJson, auditToJson, locToJson } from './runtime.js';
export type { Runtime, RuntimeOptions, IngestResult, BatchResult, RejectedEvent } from './runtime.js';
export { Engine, step, decayOnce, MAX_ROUNDS, MAX_STEPS_PER_RUN } from './core.js';
export type { Input, RuntimeAction, AuditRecord, AuditKind, StepOutput } from './core.js';
export { compilePlanIndex, compileCondition } from './plan-index.js';
export type { PlanIndex, IndexOptions } from './plan-index.js';
export { validateEvent } from './events.js';
export type { LeadEvent, ValidatedEvent } from './events.js';
export { MemoryStore } from './store.js';
export type { LeadStore } from './store.js';
export { cloneLeadState, serializeLeadState, deserializeLeadState } from './state.js';
export type { LeadState, JourneyState, Value } from './state.js';
export type { Measures, JourneyMeasures, Distribution } from './measures.js';
export { hash32, unitHash, inHoldout, splitPoint, actionId } from './hash.js';
