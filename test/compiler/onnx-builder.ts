/** Builds small ONNX models in memory (onnx-proto) for import and CLI tests. */
import { onnx, type OnnxTypes } from '../../compiler/import/onnx/onnx-proto.js';

export function tensor(name: string, dims: number[], values: number[]): OnnxTypes.TensorProto {
  return onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: values });
}

function valueInfo(name: string, dims: number[]): OnnxTypes.ValueInfoProto {
  return onnx.ValueInfoProto.create({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
  });
}

export function modelBytes(nodes: OnnxTypes.INodeProto[], inits: OnnxTypes.TensorProto[], inDims: number[], outName: string, opset = 13): Uint8Array {
  const m = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: opset }],
    graph: { name: 'g', node: nodes, initializer: inits, input: [valueInfo('x', inDims)], output: [valueInfo(outName, [])] },
  });
  return onnx.ModelProto.encode(m).finish();
}

