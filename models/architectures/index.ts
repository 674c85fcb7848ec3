export { buildDsCnn, buildDsCnnS, buildDsCnnM, type DsCnnOptions } from './ds-cnn.js';
export { buildSmallCnn, type SmallCnnOptions } from './small-cnn.js';
export { buildAttentionCnn, type AttentionCnnOptions } from './attention-cnn.js';
export { countModel, type ModelCounts } from './counts.js';
export { ARCHITECTURES, architectureNames, buildArchitecture } from './registry.js';
export type { ArchitectureOptions, ArchitectureInfo, ArchitectureBuilder } from './types.js';
