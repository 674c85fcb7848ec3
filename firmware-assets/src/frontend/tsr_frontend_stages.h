/*
 * The stages of one frame, one file each (twins of runtime-sim/frontend/fixed/, one .ts each). Internal to the
 * frontend: the public API is tsr_frontend.h.
 */
#ifndef TSR_FRONTEND_STAGES_H
#define TSR_FRONTEND_STAGES_H
#include <stdint.h>
#include "tsr_frontend_tables.h"

/* Max |component| kept below 2^TSR_BLOCK_BITS by every block-floating-point rescale. */
#define TSR_BLOCK_BITS 27
/* Power-spectrum shift keeps sum_k P'[k] < 2^TSR_POWER_TOTAL_BITS (mel sums < 2^62). */
#define TSR_POWER_TOTAL_BITS 47
#define TSR_FEATURE_Q 20

/* fft-real-bfp.ts: re/im hold N/2 complex points (re = x[2m], im = x[2m+1], natural order, |x| <= 2^27);
 * overwritten. Writes Y = 2X to yr/yi (TSR_FFT_BINS) and returns the right shifts applied. */
int tsr_rfft_bfp_q(int32_t re[TSR_FFT_HALF], int32_t im[TSR_FFT_HALF], int32_t yr[TSR_FFT_BINS], int32_t yi[TSR_FFT_BINS]);

/* power-spectrum-q.ts: power[k] = round_half_up((yr^2 + yi^2) / 2^sP); returns sP. */
int tsr_power_spectrum_shifted(const int32_t yr[TSR_FFT_BINS], const int32_t yi[TSR_FFT_BINS], uint64_t power[TSR_FFT_BINS]);

/* log2-q.ts: log2(m / 2^30) in Q30 for 2^30 <= m < 2^31. */
int32_t tsr_log2_mantissa_q30(uint32_t m);
/* log2-q.ts: log2(x) in Q20 for 1 <= x < 2^53. */
int32_t tsr_log2_q20(uint64_t x);

/* mel-log-q20.ts: ln(max(mel energy * 2^exp2, floor)) in Q20 per band. */
void tsr_mel_log_q20(const uint64_t power[TSR_FFT_BINS], int exp2, int32_t logmel_q20[TSR_MEL_BANDS]);

/* dct-q20.ts: orthonormal DCT-II, Q20 in and out. */
void tsr_dct_q20(const int32_t logmel_q20[TSR_MEL_BANDS], int32_t mfcc_q20[TSR_MFCC_COUNT]);

/* quantize-int8.ts: normalization + int8 with saturation; returns values clamped. */
uint32_t tsr_quantize_int8_from_q20(const int32_t features_q20[TSR_FEATURE_DIMS], int8_t out[TSR_FEATURE_DIMS]);
#endif
