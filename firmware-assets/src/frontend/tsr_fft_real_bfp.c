/*
 * Block-floating-point real FFT (twin of runtime-sim/frontend/fixed/fft-real-bfp.ts): an N/2-point
 * complex radix-2 DIT FFT plus the split step. Before every stage the block is rescaled so that
 * max |component| < 2^27 (rounding shift applied as each butterfly input is loaded; every index is
 * loaded exactly once per stage, so this equals rescaling the block). Q23 twiddles keep every product
 * below 2^51.5: int64 products, rounded half up (+2^22, >> 23), never truncated.
 */
#include "tsr_frontend_stages.h"
#include "tsr_fixed_math.h"

#define TSR_TWIDDLE_ROUND ((int64_t)1 << 22)

/* Shift that brings a block whose max |component| is m below 2^27 (0 if already below). */
static int block_shift(uint32_t m) {
  int k = tsr_bit_length_u32(m) - TSR_BLOCK_BITS;
  return k > 0 ? k : 0;
}

static inline int32_t round_shift_s32(int32_t x, int k) { return (int32_t)((x + ((int32_t)1 << (k - 1))) >> k); }

static inline uint32_t max4(uint32_t m, int32_t a, int32_t b, int32_t c, int32_t d) {
  uint32_t v;
  v = (uint32_t)tsr_abs_s32(a);
  if (v > m) m = v;
  v = (uint32_t)tsr_abs_s32(b);
  if (v > m) m = v;
  v = (uint32_t)tsr_abs_s32(c);
  if (v > m) m = v;
  v = (uint32_t)tsr_abs_s32(d);
  if (v > m) m = v;
  return m;
}

int tsr_rfft_bfp_q(int32_t re[TSR_FFT_HALF], int32_t im[TSR_FFT_HALF], int32_t yr[TSR_FFT_BINS], int32_t yi[TSR_FFT_BINS]) {
  uint32_t m = 0;
  int shifts = 0;
  uint32_t i;
  for (i = 0; i < TSR_FFT_HALF; i++) {
    uint32_t r = tsr_bit_reverse[i];
    uint32_t a = (uint32_t)tsr_abs_s32(re[i]);
    uint32_t b = (uint32_t)tsr_abs_s32(im[i]);
    if (a > m) m = a;
    if (b > m) m = b;
    if (r > i) {
      int32_t t = re[i];
      re[i] = re[r];
      re[r] = t;
      t = im[i];
      im[i] = im[r];
      im[r] = t;
    }
  }
  {
    uint32_t len;
    for (len = 2; len <= TSR_FFT_HALF; len <<= 1) {
      const int k = block_shift(m);
      const uint32_t h = len >> 1;
      const uint32_t step = TSR_FFT_HALF / len;
      uint32_t j;
      shifts += k;
      m = 0;
      for (j = 0; j < h; j++) {
        /* W = cos - i sin */
        const int64_t wr = tsr_fft_cos_q23[j * step];
        const int64_t wi = -(int64_t)tsr_fft_sin_q23[j * step];
        uint32_t a;
        for (a = j; a < TSR_FFT_HALF; a += len) {
          const uint32_t b = a + h;
          int32_t br = re[b], bi = im[b], ar = re[a], ai = im[a];
          int32_t tr, ti;
          if (k > 0) {
            br = round_shift_s32(br, k);
            bi = round_shift_s32(bi, k);
            ar = round_shift_s32(ar, k);
            ai = round_shift_s32(ai, k);
          }
          if (j == 0) {
            tr = br; /* W = 1 exactly: the rounded product equals b */
            ti = bi;
          } else {
            tr = (int32_t)(((int64_t)br * wr - (int64_t)bi * wi + TSR_TWIDDLE_ROUND) >> 23);
            ti = (int32_t)(((int64_t)br * wi + (int64_t)bi * wr + TSR_TWIDDLE_ROUND) >> 23);
          }
          re[a] = ar + tr;
          im[a] = ai + ti;
          re[b] = ar - tr;
          im[b] = ai - ti;
          m = max4(m, re[a], im[a], re[b], im[b]);
        }
      }
    }
  }
  {
    const int k = block_shift(m);
    shifts += k;
    if (k > 0) {
      for (i = 0; i < TSR_FFT_HALF; i++) {
        re[i] = round_shift_s32(re[i], k);
        im[i] = round_shift_s32(im[i], k);
      }
    }
  }
  /* Split: 2X[k] = E - i W_N^k D, E = Z[k] + conj(Z[M-k]), D = Z[k] - conj(Z[M-k]), M = N/2. */
  for (i = 0; i <= TSR_FFT_HALF; i++) {
    const uint32_t k1 = i == TSR_FFT_HALF ? 0 : i;
    const uint32_t k2 = i == 0 ? 0 : TSR_FFT_HALF - i;
    const int32_t ar = re[k1], ai = im[k1];
    const int32_t br = re[k2], bi = -im[k2];
    const int64_t er = (int64_t)ar + br, ei = (int64_t)ai + bi;
    const int64_t dr = (int64_t)ar - br, di = (int64_t)ai - bi;
    const int64_t wr = tsr_split_cos_q23[i];
    const int64_t wi = -(int64_t)tsr_split_sin_q23[i];
    const int64_t tr = (dr * wr - di * wi + TSR_TWIDDLE_ROUND) >> 23;
    const int64_t ti = (dr * wi + di * wr + TSR_TWIDDLE_ROUND) >> 23;
    yr[i] = (int32_t)(er + ti);
    yi[i] = (int32_t)(ei - tr);
  }
  return shifts;
}
