/*
 * Integer YIN F0 (twin of runtime-sim/frontend/fixed/f0-yin-q.ts with DEFAULT_YIN; window length, lag range,
 * threshold and silence level are the TSR_YIN_* constants of the generated header).
 *  - d(tau) = sum (x[i] - x[i+tau])^2 (int64, < 2^41), d' = round(d / 2^10); cumulative-mean normalized in
 *    Q12: dn = floor(d' tau 2^12 / run') (products < 2^51; operands >= 0, so '/' is the floor).
 *  - first dip below the threshold, then its local minimum; parabolic offset in Q12 with a floor division
 *    (the numerator may be negative: C '/' truncates, so it is corrected); F0 in Q4 Hz rounded half up.
 *  - dn[TSR_YIN_TAU_MAX + 1] is never computed by the specification and reads as 0 there: kept.
 */
#include "tsr_frontend.h"

TSR_YIN_STATIC_CHECK;

static int64_t floor_div_s64(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}

int32_t tsr_yin_window_start(uint32_t frame) {
  /* round half up of t*hop + window/2 - yin_window/2, in integers: floor((2 t hop + window - yin_window + 1) / 2) */
  return (int32_t)floor_div_s64((int64_t)2 * frame * TSR_HOP_SAMPLES + TSR_WINDOW_SAMPLES - TSR_YIN_WINDOW_SAMPLES + 1, 2);
}

void tsr_yin_f0_q(const int16_t x[TSR_YIN_WINDOW_SAMPLES], tsr_f0_q_t *out) {
  enum { W = TSR_YIN_WINDOW_SAMPLES - TSR_YIN_TAU_MAX };
  int32_t dn[TSR_YIN_TAU_MAX + 2];
  int64_t sum_sq = 0, run = 0;
  uint32_t i;
  int32_t tau, best = -1;
  for (i = 0; i < TSR_YIN_WINDOW_SAMPLES; i++) sum_sq += (int32_t)x[i] * x[i];
  dn[0] = 4096;
  dn[TSR_YIN_TAU_MAX + 1] = 0;
  for (tau = 1; tau <= TSR_YIN_TAU_MAX; tau++) {
    int64_t d = 0, dq;
    for (i = 0; i < (uint32_t)W; i++) {
      const int32_t v = (int32_t)x[i] - x[i + (uint32_t)tau];
      d += (int64_t)v * v;
    }
    dq = (d + 512) >> 10;
    run += dq;
    dn[tau] = run > 0 ? (int32_t)((dq * tau * 4096) / run) : 4096;
  }
  for (tau = TSR_YIN_TAU_MIN; tau <= TSR_YIN_TAU_MAX; tau++) {
    if (dn[tau] < TSR_YIN_THRESHOLD_Q12) {
      while (tau + 1 <= TSR_YIN_TAU_MAX && dn[tau + 1] < dn[tau]) tau++;
      best = tau;
      break;
    }
  }
  if (best < 0) {
    int32_t ap = 4096;
    for (tau = TSR_YIN_TAU_MIN; tau <= TSR_YIN_TAU_MAX; tau++)
      if (dn[tau] < ap) ap = dn[tau];
    out->f0_q4 = 0;
    out->voiced = 0;
    out->aperiodicity_q12 = ap;
    return;
  }
  {
    const int64_t a = dn[best - 1], b = dn[best], c = dn[best + 1];
    const int64_t den = a - 2 * b + c;
    int64_t off = 0, lag_q12;
    if (den > 0) {
      off = floor_div_s64((a - c) * 2048, den);
      if (off > 2048) off = 2048;
      if (off < -2048) off = -2048;
    }
    lag_q12 = (int64_t)best * 4096 + off;
    {
      const int silent = sum_sq < TSR_YIN_SILENCE_SUM_SQ;
      out->f0_q4 = silent ? 0 : (int32_t)(((int64_t)TSR_SAMPLE_RATE_HZ * 131072 + lag_q12) / (2 * lag_q12));
      out->voiced = (uint8_t)!silent;
      out->aperiodicity_q12 = (int32_t)b;
    }
  }
}
