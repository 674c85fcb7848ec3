/**
 * Parameter and MAC counts of a tfjs-layers model, read from its layers' configs and shapes.
 * MACs count multiply-accumulates of Conv2D, DepthwiseConv2D, Dense and elementwise Multiply per
 * example; BatchNormalization is excluded because the compiler folds it into the preceding conv.
 */
import type { LayersModel } from '@tensorflow/tfjs-layers';

export interface ModelCounts {
  trainableParams: number;
  nonTrainableParams: number;
  /** Parameters the device stores after BN folding (conv/dense weights + one bias per output channel). */
  deployedParams: number;
  macs: number;
  perLayer: Array<{ name: string; className: string; params: number; macs: number }>;
}

function shapeOf(s: unknown): number[] {
  const shape = (Array.isArray(s) && Array.isArray(s[0]) ? s[0] : s) as Array<number | null>;
  return shape.slice(1).map((d) => d ?? 1);
}

const prod = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

export function countModel(model: LayersModel): ModelCounts {
  const perLayer: ModelCounts['perLayer'] = [];
  let macs = 0;
  let deployedParams = 0;
  const layers = model.layers;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    const className = layer.getClassName();
    const params = layer.countParams();
    const out = shapeOf(layer.outputShape);
    let layerMacs = 0;
    if (className === 'Conv2D') {
      const kernel = layer.getWeights()[0]!.shape; // [kh, kw, inC, outC]
      layerMacs = prod(out) * kernel[0]! * kernel[1]! * kernel[2]!;
      deployedParams += prod(kernel) + kernel[3]!;
    } else if (className === 'DepthwiseConv2D') {
      const kernel = layer.getWeights()[0]!.shape; // [kh, kw, inC, M]
      layerMacs = prod(out) * kernel[0]! * kernel[1]!;
      deployedParams += prod(kernel) + kernel[2]! * kernel[3]!;
    } else if (className === 'Dense') {
      const kernel = layer.getWeights()[0]!.shape;
      layerMacs = kernel[0]! * kernel[1]!;
      deployedParams += prod(kernel) + kernel[1]!;
    } else if (className === 'Multiply') {
      layerMacs = prod(out);
    }
    macs += layerMacs;
    perLayer.push({ name: layer.name, className, params, macs: layerMacs });
  }
  const trainableParams = model.trainableWeights.reduce((a, w) => a + prod(w.shape as number[]), 0);
  const nonTrainableParams = model.nonTrainableWeights.reduce((a, w) => a + prod(w.shape as number[]), 0);
  return { trainableParams, nonTrainableParams, deployedParams, macs, perLayer };
}
