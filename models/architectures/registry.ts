/** Architecture names accepted by `tinyser train --arch` and `tinyser distill --student`. */
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { TinyserError } from '../../common/errors.js';
import { buildAttentionCnn } from './attention-cnn.js';
import { buildDsCnnM, buildDsCnnS } from './ds-cnn.js';
import { buildDsCnnS32k } from './ds-cnn-32k.js';
import { buildSmallCnn } from './small-cnn.js';
import type { ArchitectureInfo, ArchitectureOptions } from './types.js';

export const ARCHITECTURES: Readonly<Record<string, ArchitectureInfo>> = {
  'ds-cnn-s': { name: 'ds-cnn-s', description: 'DS-CNN S: 64 ch, 4 DS blocks (~22.7k params, ~21.7 M MACs on 300x40)', build: buildDsCnnS },
  'ds-cnn-s-32k': { name: 'ds-cnn-s-32k', description: 'DS-CNN for a 32 KB arena: 8-ch 2-D stem, band collapse, 4 temporal DS blocks of 64 ch (~25.6k params, ~2.6 M MACs, 31 KB arena on 298x40)', build: buildDsCnnS32k },
  'ds-cnn-m': { name: 'ds-cnn-m', description: 'DS-CNN M: 128 ch, 5 DS blocks', build: buildDsCnnM },
  'small-cnn': { name: 'small-cnn', description: '3-stage Conv/BN/ReLU/MaxPool CNN (16/32/64 ch)', build: buildSmallCnn },
  'attention-cnn': { name: 'attention-cnn', description: 'DS front end + attention pooling over time', build: buildAttentionCnn },
};

export function architectureNames(): string[] {
  return Object.keys(ARCHITECTURES);
}

export function buildArchitecture(name: string, opts: ArchitectureOptions): LayersModel {
  const info = ARCHITECTURES[name];
  if (!info) {
    throw new TinyserError('USAGE', `unknown architecture '${name}'; choose one of: ${architectureNames().join(', ')}`, { arch: name });
  }
  return info.build(opts);
}
