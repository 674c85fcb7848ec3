/** onnx-proto is CommonJS (`module.exports = { onnx }`): import it once here as a default export. */
import onnxProto from 'onnx-proto';

export const onnx = onnxProto.onnx;
export type { onnx as OnnxTypes } from 'onnx-proto';
