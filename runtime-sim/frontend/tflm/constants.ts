/**
 * Compile-time constants of TFLM's experimental microfrontend (the `k*` macros of its lib/*.h files).
 * They are part of the numeric contract: changing any of them breaks bit-exactness with TFLM.
 */

/** Window coefficients are Q12: (sample * coefficient) >> 12. */
export const FRONTEND_WINDOW_BITS = 12;
/** Filterbank weights/unweights are Q12. */
export const FILTERBANK_BITS = 12;
/** Channel starts are aligned down to this many bytes of int16 bins (4 bytes = 2 bins). */
export const FILTERBANK_INDEX_ALIGNMENT = 4;
/** Channel widths are padded up to a multiple of this many bins. */
export const FILTERBANK_CHANNEL_BLOCK_SIZE = 4;
/** Noise-reduction smoothing coefficients are Q14. */
export const NOISE_REDUCTION_BITS = 14;
export const PCAN_SNR_BITS = 12;
export const PCAN_OUTPUT_BITS = 6;
export const WIDE_DYNAMIC_FUNCTION_BITS = 32;
/** 3 LUT entries per interval for intervals 2..32, plus the two direct slots 0 and 1, minus the unused start. */
export const WIDE_DYNAMIC_FUNCTION_LUT_SIZE = 4 * WIDE_DYNAMIC_FUNCTION_BITS - 3;
export const LOG_SEGMENTS_LOG2 = 7;
export const LOG_SEGMENTS = 1 << LOG_SEGMENTS_LOG2;
export const LOG_SCALE_LOG2 = 16;
export const LOG_SCALE = 1 << LOG_SCALE_LOG2;
/** round(ln(2) * 65536): converts the Q16 log2 into a Q16 natural log. */
export const LOG_COEFF = 45426;
