/**
 * Under a gradient tape, route tfjs-core's fused conv2d (what tfjs-layers' Conv2D calls) to the
 * unfused conv2d + add when there is no activation to fuse.
 *
 * Why: the fused op's gradient is a customGrad that computes the input gradient EAGERLY, so the
 * tape cannot prune it; for a model's first conv that is the gradient w.r.t. the input features,
 * which nobody needs. On DS-CNN S (conv_0: 10x4, stride 2, 1 -> 64 ch on [32,300,40,1]) that
 * transposed conv cost ~1.1 s of a ~2.8 s training step. The unfused ops' gradients are lazy per
 * input, so the tape skips it. Outside gradients (inference) the fused path is unchanged, and the
 * math is identical either way.
 */
import * as tf from '@tensorflow/tfjs-core';

type FusedConv2d = typeof tf.fused.conv2d;
type FusedConv2dArgs = Parameters<FusedConv2d>[0];

let original: FusedConv2d | undefined;

export function installLazyFusedConvGradients(): void {
  if (original) return;
  original = tf.fused.conv2d;
  const fusedOriginal = original;
  const lazy = (args: FusedConv2dArgs): tf.Tensor4D => {
    const underTape = tf.engine().state.gradientDepth > 0;
    const act = args.activation ?? 'linear';
    if (!underTape || act !== 'linear') return fusedOriginal(args) as tf.Tensor4D;
    const y = tf.conv2d(
      args.x as tf.Tensor4D,
      args.filter as tf.Tensor4D,
      args.strides,
      args.pad,
      args.dataFormat,
      args.dilations,
      args.dimRoundingMode,
    );
    return (args.bias ? tf.add(y, args.bias) : y) as tf.Tensor4D;
  };
  (tf.fused as { conv2d: unknown }).conv2d = lazy;
}
