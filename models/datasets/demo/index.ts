/** Public API of the demo dataset (synthetic emotional speech). */
export { loadDemoDataset, type DemoDataset, type DemoItem } from './load-demo.js';
export {
  generateDemoDataset,
  demoDatasetDir,
  DEMO_SAMPLE_RATE,
  type DemoOptions,
  type DemoManifest,
  type DemoClipInfo,
  type DemoEngine,
  type DemoGenerationResult,
} from './generate-demo.js';
export { DEMO_CLASSES, DEMO_SPEAKERS, EMOTION_PROSODY, type DemoClass } from './demo-voices.js';
export { defaultDemoCacheRoot } from './demo-cache.js';
