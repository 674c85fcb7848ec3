export { fileLoadHandler, fileSaveHandler, loadLayersModelFromDir, saveLayersModelToDir, MODEL_JSON, WEIGHTS_BIN } from './tfjs-layers-files.js';
