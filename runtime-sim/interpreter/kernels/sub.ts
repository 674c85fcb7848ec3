/**
 * SUB (TFLM sub.cc, reference_integer_ops::SubElementwise): ADD's pipeline (add.ts) with the two
 * rescaled inputs subtracted instead of added; same 20-bit left shift and multipliers.
 */
import { makeAddSub } from './add.js';

export const sub = makeAddSub(true);
