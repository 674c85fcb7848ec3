/* 4-D broadcast walk shared by ADD and MUL: calls BODY(ia, ib, io) for every output element. */
#ifndef TINYSER_KERNELS_BROADCAST_H
#define TINYSER_KERNELS_BROADCAST_H

#define TSK_BROADCAST4_FOR_EACH(g, BODY)                                                        \
  do {                                                                                          \
    int32_t d0_, d1_, d2_, d3_, io_ = 0;                                                        \
    for (d0_ = 0; d0_ < (g)->out_shape[0]; d0_++)                                               \
      for (d1_ = 0; d1_ < (g)->out_shape[1]; d1_++)                                             \
        for (d2_ = 0; d2_ < (g)->out_shape[2]; d2_++)                                           \
          for (d3_ = 0; d3_ < (g)->out_shape[3]; d3_++, io_++) {                                \
            const int32_t ia_ = d0_ * (g)->a_stride[0] + d1_ * (g)->a_stride[1] +               \
                                d2_ * (g)->a_stride[2] + d3_ * (g)->a_stride[3];                \
            const int32_t ib_ = d0_ * (g)->b_stride[0] + d1_ * (g)->b_stride[1] +               \
                                d2_ * (g)->b_stride[2] + d3_ * (g)->b_stride[3];                \
            BODY(ia_, ib_, io_);                                                                \
          }                                                                                     \
  } while (0)

#endif
