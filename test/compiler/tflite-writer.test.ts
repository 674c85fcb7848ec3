/**
 * The written FlatBuffer read back by an independent bounds-checked reader (the interpreter's
 * runtime-sim/interpreter/tflite) and checked against the schema facts we rely on.
 */
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../compiler/import/onnx/import-onnx.js';
import { optimizeGraph } from '../../compiler/passes/index.js';
import { quantizeGraph } from '../../compiler/quantize/quantize.js';
import { buildFlatBuffer, fb } from '../../compiler/writers/tflite/flatbuffer-builder.js';
import { writeTflite } from '../../compiler/writers/tflite/tflite-writer.js';
import { loadTfliteModel } from '../../runtime-sim/interpreter/index.js';
import { calibrationSet, onnxBytes } from './fixtures.js';

describe('FlatBuffer builder', () => {
  it('lays out root offset, identifier, vtable and forward offsets per the format', () => {
    const bytes = buildFlatBuffer([fb.i32(7), undefined, fb.str('hi'), fb.vec('u8', [1, 2, 3], 16)], 'TEST');
    const dv = new DataView(bytes.buffer);
    expect(String.fromCharCode(...bytes.subarray(4, 8))).toBe('TEST');
    const root = dv.getUint32(0, true);
    expect(root % 4).toBe(0);
    const vt = root - dv.getInt32(root, true);
    expect(dv.getUint16(vt, true)).toBe(4 + 2 * 4);
    const fieldOff = (id: number) => dv.getUint16(vt + 4 + 2 * id, true);
    expect(dv.getInt32(root + fieldOff(0), true)).toBe(7);
    expect(fieldOff(1)).toBe(0);
    const sPos = root + fieldOff(2) + dv.getUint32(root + fieldOff(2), true);
    expect(dv.getUint32(sPos, true)).toBe(2);
    expect(String.fromCharCode(bytes[sPos + 4], bytes[sPos + 5])).toBe('hi');
    expect(bytes[sPos + 6]).toBe(0);
    const vPos = root + fieldOff(3) + dv.getUint32(root + fieldOff(3), true);
    expect((vPos + 4) % 16).toBe(0);
    expect([...bytes.subarray(vPos + 4, vPos + 7)]).toEqual([1, 2, 3]);
  });
});

describe('TFLite writer', () => {
  const q = quantizeGraph(optimizeGraph(importOnnx(onnxBytes('res_concat'))), calibrationSet().slice(0, 8)).graph;
  const w = writeTflite(q);
  const m = loadTfliteModel(w.bytes, 'res_concat.tflite');

  it('is read back with the right operator versions and min_runtime_version metadata', () => {
    expect(m.version).toBe(3);
    const versions = Object.fromEntries(m.operatorCodes.map((o) => [o.name, o.version]));
    expect(versions.CONV_2D).toBe(3);
    expect(versions.FULLY_CONNECTED).toBe(4);
    expect(versions.LEAKY_RELU).toBeDefined();
    expect(m.operatorCodes.find((o) => o.name === 'LEAKY_RELU')!.builtinCode).toBe(98);
    const meta = m.metadata.find((x) => x.name === 'min_runtime_version')!;
    expect(meta).toBeDefined();
    const data = m.buffers[meta.buffer]!;
    expect(new TextDecoder().decode(data).replace(/\0+$/, '')).toBe(w.minRuntimeVersion);
  });

  it('stores every constant in its own 16-byte-aligned buffer with per-channel conv quantisation', () => {
    const sg = m.subgraphs[0];
    expect(sg.operators.length).toBe(q.nodes.length);
    let constants = 0;
    for (const t of sg.tensors) {
      if (t.buffer === 0) continue;
      constants++;
      const data = m.buffers[t.buffer]!;
      expect(data.byteOffset % 16).toBe(0);
      const ir = q.tensors.get(t.name);
      if (ir?.data) expect(new Uint8Array(ir.data.buffer, ir.data.byteOffset, ir.data.byteLength)).toEqual(data);
    }
    expect(constants).toBeGreaterThan(10);
    const convW = sg.tensors.find((t) => t.type === 'int8' && t.shape.length === 4 && t.buffer !== 0 && t.shape[0] === 12)!;
    expect(convW.quantization!.scale.length).toBe(12);
    expect(convW.quantization!.quantizedDimension).toBe(0);
    expect(convW.quantization!.zeroPoint.every((z) => z === 0)).toBe(true);
  });
});
