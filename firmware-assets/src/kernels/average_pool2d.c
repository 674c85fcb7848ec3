/*
 * AVERAGE_POOL_2D int8: twin of runtime-sim/interpreter/kernels/average-pool2d.ts. The divisor
 * counts only pixels inside the image; the average rounds half away from zero with C truncation.
 */
#include "tinyser_kernels.h"
#include "fixed_point.h"

void tsk_average_pool2d_int8(const tsk_pool2d_params *p, const int8_t *input, int8_t *output) {
  int32_t n, oy, ox, c, fy, fx;
  for (n = 0; n < p->batches; n++) {
    for (oy = 0; oy < p->out_h; oy++) {
      for (ox = 0; ox < p->out_w; ox++) {
        const int32_t y0 = oy * p->stride_h - p->pad_h, x0 = ox * p->stride_w - p->pad_w;
        const int32_t fy_start = y0 < 0 ? -y0 : 0;
        const int32_t fy_end = p->filter_h < p->in_h - y0 ? p->filter_h : p->in_h - y0;
        const int32_t fx_start = x0 < 0 ? -x0 : 0;
        const int32_t fx_end = p->filter_w < p->in_w - x0 ? p->filter_w : p->in_w - x0;
        const int32_t count = (fy_end - fy_start) * (fx_end - fx_start);
        for (c = 0; c < p->channels; c++) {
          int32_t acc = 0, v;
          for (fy = fy_start; fy < fy_end; fy++) {
            const int8_t *row = input + ((n * p->in_h + y0 + fy) * p->in_w + x0) * p->channels + c;
            for (fx = fx_start; fx < fx_end; fx++) acc += row[fx * p->channels];
          }
          if (count <= 0) v = 0; /* rejected at generation time; keeps the division defined */
          else v = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
          output[((n * p->out_h + oy) * p->out_w + ox) * p->channels + c] = (int8_t)tsk_clamp_i32(v, p->act_min, p->act_max);
        }
      }
    }
  }
}
