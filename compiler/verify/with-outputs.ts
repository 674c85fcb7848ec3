/**
 * A copy of a .tflite whose subgraph 0 lists other tensors as its outputs (e.g. every intermediate
 * activation), so the real TFLite runtime hands back the values of every layer: the basis of a
 * layer-by-layer diff of the interpreter against TFLite. Same head-rewrite technique as
 * builtin-kernels-only.ts: a new Model and SubGraph table in front of the untouched original
 * bytes, referencing its tensors, operators and buffers. For verification only.
 */
import { ModelFormatError } from '../errors.js';
import { copyFields, HeadWriter, MODEL, MODEL_FIELDS, Reader, SUBGRAPH, SUBGRAPH_FIELDS, type HeadField } from './builtin-kernels-only.js';

export function withOutputs(tflite: Uint8Array, outputs: readonly number[]): Uint8Array {
  const r = new Reader(tflite);
  const model = r.deref(0, 'Model root offset');
  const modelFields = copyFields(r, model, MODEL_FIELDS, 'Model');
  const subgraphsAt = r.field(model, MODEL.subgraphs, 'Model');
  if (!subgraphsAt) throw new ModelFormatError('.tflite: Model has no subgraphs', { reading: 'Model' });
  const subgraphs = r.tableVector(r.deref(subgraphsAt, 'Model.subgraphs'), 'Model.subgraphs');
  const sgFields = copyFields(r, subgraphs[0]!, SUBGRAPH_FIELDS, 'SubGraph[0]');
  const tensorsAt = r.field(subgraphs[0]!, SUBGRAPH.tensors, 'SubGraph[0]');
  const tensorCount = tensorsAt ? r.u32(r.deref(tensorsAt, 'SubGraph[0].tensors'), 'SubGraph[0].tensors length') : 0;
  for (const o of outputs) if (!Number.isInteger(o) || o < 0 || o >= tensorCount) throw new ModelFormatError(`.tflite: output tensor index ${o} is out of range (${tensorCount} tensors)`, { tensor: o });
  sgFields[SUBGRAPH.outputs] = { kind: 'new', write: (h) => h.int32Vector([...outputs]) };
  const old = (target: number) => ({ kind: 'old' as const, target });
  modelFields[MODEL.subgraphs] = {
    kind: 'new',
    write: (h) => h.refVector([{ kind: 'new', write: (hh) => hh.table(sgFields as (HeadField | undefined)[]) }, ...subgraphs.slice(1).map(old)]),
  };
  const h = new HeadWriter();
  return h.finish(h.table(modelFields), tflite);
}
