// Starts the training worker from TypeScript sources (tsx, vitest): registers tsx's loader in this
// worker thread, then loads train-worker.ts. The esbuild bundle uses dist/train-worker.mjs instead.
import { register } from 'tsx/esm/api';

register();
await import('./train-worker.ts');
