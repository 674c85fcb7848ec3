/*
 * TRANSPOSE_CONV int8 per-channel, byte-exact twin of runtime-sim/interpreter/kernels/transpose-conv.ts.
 *
 * TFLM scatters every input pixel into an int32 scratch map as large as the output
 * (4 bytes per output element of RAM). This kernel gathers instead: for each output pixel it visits
 * exactly the (input pixel, filter tap) pairs that scatter into it, i.e. the taps with
 * out + pad - tap == in * stride. Each output accumulator then receives the very same integer
 * products as in TFLM, and int32 sums of them do not depend on the order, so the bytes are equal while
 * the RAM cost is zero.
 */
#include "transpose_conv.h"
#include "fixed_point.h"

/*
 * The taps of one output coordinate along one axis: f = f_first, f_first + stride, ... < f_end, with
 * input index i = i_first, i_first - 1, ... Only taps whose input index is inside [0, in_size) are
 * kept, so the loops below need no bounds checks and no division per tap (one per output row/column).
 */
static void tap_range(int32_t out_plus_pad, int32_t stride, int32_t filter, int32_t in_size,
                      int32_t *f_first, int32_t *f_end, int32_t *i_first) {
  int32_t f = out_plus_pad % stride; /* out_plus_pad >= 0: the pad is never negative */
  int32_t i = (out_plus_pad - f) / stride;
  if (i >= in_size) { /* skip the taps that would read past the last input row */
    f += (i - (in_size - 1)) * stride;
    i = in_size - 1;
  }
  *f_first = f;
  *i_first = i;
  /* i >= 0 holds while f <= out_plus_pad */
  *f_end = filter < out_plus_pad + 1 ? filter : out_plus_pad + 1;
}

void tsk_transpose_conv_int8(const tsk_transpose_conv_params *p, const int8_t *input, const int8_t *filter,
                             const int32_t *bias, int8_t *output) {
  const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c;
  const int32_t out_c = p->out_c, filter_h = p->filter_h, filter_w = p->filter_w;
  const int32_t stride_h = p->stride_h, stride_w = p->stride_w;
  const int32_t input_offset = p->input_offset;
  const int32_t filter_size = filter_h * filter_w * in_c;
  int32_t n, oy, ox, oc, fy, fx, ic;
  for (n = 0; n < p->batches; n++) {
    const int8_t *in_batch = input + n * in_h * in_w * in_c;
    for (oy = 0; oy < p->out_h; oy++) {
      int32_t fy_first, fy_end, iy_first;
      tap_range(oy + p->pad_h, stride_h, filter_h, in_h, &fy_first, &fy_end, &iy_first);
      for (ox = 0; ox < p->out_w; ox++) {
        int32_t fx_first, fx_end, ix_first;
        int8_t *out_pixel = output + ((n * p->out_h + oy) * p->out_w + ox) * out_c;
        tap_range(ox + p->pad_w, stride_w, filter_w, in_w, &fx_first, &fx_end, &ix_first);
        for (oc = 0; oc < out_c; oc++) {
          const int8_t *w_oc = filter + oc * filter_size;
          int32_t acc = 0, iy = iy_first;
          for (fy = fy_first; fy < fy_end; fy += stride_h, iy--) {
            const int8_t *x_row = in_batch + iy * in_w * in_c;
            const int8_t *w_row = w_oc + fy * filter_w * in_c;
            int32_t ix = ix_first;
            for (fx = fx_first; fx < fx_end; fx += stride_w, ix--) {
              const int8_t *x = x_row + ix * in_c;
              const int8_t *w = w_row + fx * in_c;
              for (ic = 0; ic < in_c; ic++) acc += ((int32_t)x[ic] + input_offset) * (int32_t)w[ic];
            }
          }
          if (bias) acc += bias[oc];
          out_pixel[oc] = (int8_t)tsk_clamp_i32(tsk_mbqm(acc, p->multiplier[oc], (int)p->shift[oc]) + p->output_offset,
                                                p->act_min, p->act_max);
        }
      }
    }
  }
}
