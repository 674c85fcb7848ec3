/*
 * DEPTHWISE_CONV_2D int8 per-channel: twin of runtime-sim/interpreter/kernels/depthwise-conv2d.ts
 * (TFLM reference_integer_ops::DepthwiseConvPerChannel); output channel oc = ic * M + m.
 * The output channels of one pixel are accumulated in blocks of up to TSK_DW_BLOCK (whole input
 * channels per block) so the inner loop walks contiguous filter bytes and each input byte is
 * loaded once per tap (the sums are the same integers in any order). Depth multipliers above
 * the block size and dilated filters take the plain reference loop. Interior pixels use
 * sum(w * x) + offset * filter_sum when the generator supplies the tap sums (same int32).
 */
#include "tinyser_kernels.h"
#include "fixed_point.h"

#define TSK_DW_BLOCK 32

/* Dilation 1, depth multiplier <= TSK_DW_BLOCK. */
static void depthwise_blocked(const tsk_depthwise_conv2d_params *p, const int8_t *input, const int8_t *filter,
                              const int32_t *bias, int8_t *output) {
  const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c, out_c = p->out_c, dm = p->depth_multiplier;
  const int32_t filter_h = p->filter_h, filter_w = p->filter_w, input_offset = p->input_offset;
  /* a block holds whole input channels: block_ic input channels = block_ic * dm outputs */
  const int32_t block_ic = TSK_DW_BLOCK / dm;
  int32_t acc[TSK_DW_BLOCK];
  int32_t n, oy, ox, ic0, fy, fx, c, ic, m;
  for (n = 0; n < p->batches; n++) {
    const int8_t *in_batch = input + n * in_h * in_w * in_c;
    for (oy = 0; oy < p->out_h; oy++) {
      const int32_t in_y0 = oy * p->stride_h - p->pad_h;
      const int32_t fy_start = in_y0 < 0 ? -in_y0 : 0;
      const int32_t fy_end = filter_h < in_h - in_y0 ? filter_h : in_h - in_y0;
      for (ox = 0; ox < p->out_w; ox++) {
        const int32_t in_x0 = ox * p->stride_w - p->pad_w;
        const int32_t fx_start = in_x0 < 0 ? -in_x0 : 0;
        const int32_t fx_end = filter_w < in_w - in_x0 ? filter_w : in_w - in_x0;
        /* interior pixel with known tap sums: accumulate w * x, add offset * sum(w) once */
        const int full = fy_start == 0 && fy_end == filter_h && fx_start == 0 && fx_end == filter_w && p->filter_sum != 0;
        const int32_t off = full ? 0 : input_offset;
        int8_t *out_pixel = output + ((n * p->out_h + oy) * p->out_w + ox) * out_c;
        for (ic0 = 0; ic0 < in_c; ic0 += block_ic) {
          const int32_t n_ic = in_c - ic0 < block_ic ? in_c - ic0 : block_ic;
          const int32_t oc0 = ic0 * dm, len = n_ic * dm;
          for (c = 0; c < len; c++) acc[c] = bias ? bias[oc0 + c] : 0;
          for (fy = fy_start; fy < fy_end; fy++) {
            const int8_t *x = in_batch + ((in_y0 + fy) * in_w + in_x0 + fx_start) * in_c + ic0;
            const int8_t *w = filter + (fy * filter_w + fx_start) * out_c + oc0;
            for (fx = fx_start; fx < fx_end; fx++, x += in_c, w += out_c) {
              if (dm == 1) {
                c = 0;
                for (; c + 4 <= len; c += 4) {
                  acc[c] += (int32_t)w[c] * ((int32_t)x[c] + off);
                  acc[c + 1] += (int32_t)w[c + 1] * ((int32_t)x[c + 1] + off);
                  acc[c + 2] += (int32_t)w[c + 2] * ((int32_t)x[c + 2] + off);
                  acc[c + 3] += (int32_t)w[c + 3] * ((int32_t)x[c + 3] + off);
                }
                for (; c < len; c++) acc[c] += (int32_t)w[c] * ((int32_t)x[c] + off);
              } else {
                for (ic = 0, c = 0; ic < n_ic; ic++) {
                  const int32_t xv = (int32_t)x[ic] + off;
                  for (m = 0; m + 4 <= dm; m += 4, c += 4) {
                    acc[c] += (int32_t)w[c] * xv;
                    acc[c + 1] += (int32_t)w[c + 1] * xv;
                    acc[c + 2] += (int32_t)w[c + 2] * xv;
                    acc[c + 3] += (int32_t)w[c + 3] * xv;
                  }
                  for (; m < dm; m++, c++) acc[c] += (int32_t)w[c] * xv;
                }
              }
            }
          }
          if (full) for (c = 0; c < len; c++) acc[c] += input_offset * p->filter_sum[oc0 + c];
          for (c = 0; c < len; c++) {
            const int32_t v = tsk_mbqm(acc[c], p->multiplier[oc0 + c], (int)p->shift[oc0 + c]) + p->output_offset;
            out_pixel[oc0 + c] = (int8_t)tsk_clamp_i32(v, p->act_min, p->act_max);
          }
        }
      }
    }
  }
}

void tsk_depthwise_conv2d_int8(const tsk_depthwise_conv2d_params *p, const int8_t *input, const int8_t *filter,
                               const int32_t *bias, int8_t *output) {
  const int32_t in_h = p->in_h, in_w = p->in_w, in_c = p->in_c, out_c = p->out_c, dm = p->depth_multiplier;
  int32_t n, oy, ox, ic, m, fy, fx;
  if (dm <= TSK_DW_BLOCK && p->dilation_h == 1 && p->dilation_w == 1) {
    depthwise_blocked(p, input, filter, bias, output);
    return;
  }
  for (n = 0; n < p->batches; n++) {
    for (oy = 0; oy < p->out_h; oy++) {
      const int32_t in_y0 = oy * p->stride_h - p->pad_h;
      for (ox = 0; ox < p->out_w; ox++) {
        const int32_t in_x0 = ox * p->stride_w - p->pad_w;
        int8_t *out_pixel = output + ((n * p->out_h + oy) * p->out_w + ox) * out_c;
        for (ic = 0; ic < in_c; ic++) {
          for (m = 0; m < dm; m++) {
            const int32_t oc = ic * dm + m;
            int32_t acc = 0, v;
            for (fy = 0; fy < p->filter_h; fy++) {
              const int32_t iy = in_y0 + p->dilation_h * fy;
              if (iy < 0 || iy >= in_h) continue;
              for (fx = 0; fx < p->filter_w; fx++) {
                const int32_t ix = in_x0 + p->dilation_w * fx;
                if (ix < 0 || ix >= in_w) continue;
                acc += (int32_t)filter[(fy * p->filter_w + fx) * out_c + oc] *
                       ((int32_t)input[((n * in_h + iy) * in_w + ix) * in_c + ic] + p->input_offset);
              }
            }
            if (bias) acc += bias[oc];
            v = tsk_mbqm(acc, p->multiplier[oc], (int)p->shift[oc]) + p->output_offset;
            out_pixel[oc] = (int8_t)tsk_clamp_i32(v, p->act_min, p->act_max);
          }
        }
      }
    }
  }
}
