/** The standard float pipeline: each pass is graph -> graph. */
import type { Graph } from '../ir/graph.js';
import { cleanupTransposeReshape } from './cleanup-transpose-reshape.js';
import { foldBatchNorm } from './fold-batch-norm.js';
import { foldConstants } from './fold-constants.js';
import { fuseActivations } from './fuse-activations.js';
import { fuseBiasAdd } from './fuse-bias-add.js';
import { foldTransposeIntoFullyConnected } from './fold-transpose-into-fc.js';
import { inferShapes } from './infer-shapes.js';
import { legalizePadding } from './legalize-padding.js';
import { lowerMeanToAveragePool } from './lower-mean-to-average-pool.js';
import { removeDeadNodes } from './remove-dead-nodes.js';

export { cleanupTransposeReshape, foldTransposeIntoFullyConnected, foldBatchNorm, foldConstants, fuseActivations, fuseBiasAdd, inferShapes, legalizePadding, lowerMeanToAveragePool, removeDeadNodes };

export const STANDARD_PASSES: ((g: Graph) => Graph)[] = [
  inferShapes,
  foldConstants,
  foldBatchNorm,
  fuseBiasAdd,
  fuseActivations,
  cleanupTransposeReshape,
  foldTransposeIntoFullyConnected,
  removeDeadNodes,
  legalizePadding,
  lowerMeanToAveragePool,
  inferShapes,
];

export function optimizeGraph(g: Graph): Graph {
  return STANDARD_PASSES.reduce((acc, pass) => pass(acc), g);
}
