// Bundles the CLI (and the library entry) with esbuild. npm dependencies stay external so native
// addons (serialport, onnxruntime-node) and WASM payloads load from node_modules as published.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: ['cli/main.ts'],
  outfile: 'dist/tinyser.mjs',
  banner: { js: '#!/usr/bin/env node' },
});
// The data-parallel trainer's second thread: worker-entry.ts finds it beside the bundles.
await build({ ...common, entryPoints: ['models/train/parallel/train-worker.ts'], outfile: 'dist/train-worker.mjs' });
if (existsSync('index.ts')) {
  await build({ ...common, entryPoints: ['index.ts'], outfile: 'dist/index.mjs' });
}
