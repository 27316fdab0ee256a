// Leads hash into a fixed number of partitions, chosen when the store is created (kept in its meta):
// the partition of a lead never changes, so its state, timers and inbox events always meet at the
// partition's one owner. The hash is the runtime's (FNV-1a + fmix32) with its own seed.
import { hash32 } from '../../engine/hash.js';

export const DEFAULT_PARTITIONS = 256;
const SEED = 0x70a27;

export function partitionOf(lead: string, partitions: number): number {
  return hash32(lead, SEED) % partitions;
}
