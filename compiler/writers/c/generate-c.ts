/**
 * Generated C for a .tflite model (DESIGN.md contract 4: generated C = interpreter, byte for
 * byte): static const weights, one fixed 16-byte-aligned arena laid out by the compiler's offline
 * planner (compiler/writers/planner.ts), and straight-line calls of the firmware int8 kernels
 * (firmware-assets/src/kernels/) with parameters precomputed by the interpreter's Prepare code.
 * Working from the .tflite rather than the compiler IR means third-party models work too.
 *
 * Emitted API (prefix `tinyser_model` by default), see the generated header for details:
 *   int  P_invoke(const int8_t *input, int8_t *output);   copy input 0 in, run, copy output 0 out
 *   void P_run(void);  void *P_input(int32_t i);  void *P_output(int32_t i);
 *   int  P_tensor(int32_t index, const void **data, uint32_t *bytes);   any tensor by .tflite index
 *   void P_set_op_hook(P_op_hook_fn fn, void *user);   called after every op (profiling, dumps)
 *   P_op_names[], P_op_outputs[], P_ID, P_HASH32, P_ARENA_BYTES, ...
 */
import { createHash } from 'node:crypto';
import { loadTfliteModel, type TfliteModel } from '../../../runtime-sim/interpreter/index.js';
import { UnsupportedOpError } from '../../../runtime-sim/interpreter/errors.js';
import { ARENA_ALIGNMENT, planArena, type ArenaPlan, type PlanTensor } from '../planner.js';
import { cComment, cConstArray, cIdentifier, cString } from './c-format.js';
import { emitOp, type TensorRefs } from './emit-op.js';
import { prepareModelOps } from './prepared-ops.js';

export interface GenerateCOptions {
  /** Symbol prefix of everything the files export (default `tinyser_model`). */
  prefix?: string;
  /** Base name of the emitted files (default `model`: model.h / model.c). */
  baseName?: string;
  subgraph?: number;
}

export interface GeneratedOpInfo {
  index: number;
  name: string;
  kernel: string;
  /** Multiply-accumulates per invoke (conv / depthwise / FC), 0 otherwise. */
  macs: number;
  inputs: number[];
  outputs: number[];
}

export interface GeneratedModelC {
  /** File name -> contents: `<base>.h`, `<base>.c` (weights are static const in the .c). */
  files: Record<string, string>;
  prefix: string;
  arenaBytes: number;
  /** Arena offset of every non-constant tensor the ops touch (.tflite tensor index -> byte offset). */
  tensorOffsets: Map<number, number>;
  /** Bytes of constant data (weights, biases, tables) in the generated .c. */
  constBytes: number;
  plan: ArenaPlan;
  ops: GeneratedOpInfo[];
  /** Sum of the ops' multiply-accumulates per invoke. */
  totalMacs: number;
  modelSha256: string;
  inputs: { index: number; bytes: number }[];
  outputs: { index: number; bytes: number }[];
}

const C_TYPES: Record<string, string> = { int8: 'int8_t', uint8: 'uint8_t', int16: 'int16_t', int32: 'int32_t', float32: 'float', bool: 'uint8_t' };

/** Convenience: load the .tflite bytes with the interpreter's reader, then generate. */
export function generateModelCFromTflite(bytes: Uint8Array, name = 'model.tflite', opts: GenerateCOptions = {}): GeneratedModelC {
  return generateModelC(loadTfliteModel(bytes, name), opts);
}

export function generateModelC(model: TfliteModel, opts: GenerateCOptions = {}): GeneratedModelC {
  const P = cIdentifier(opts.prefix ?? 'tinyser_model');
  const base = opts.baseName ?? 'model';
  const PU = P.toUpperCase();
  const prepared = prepareModelOps(model, opts.subgraph ?? 0);
  const { tensors, ops } = prepared;

  // Lifetimes of the non-constant tensors in op order (graph inputs from op 0, outputs to the end).
  const lastOp = Math.max(0, ops.length - 1);
  const span = new Map<number, { first: number; last: number }>();
  const touch = (idx: number, i: number): void => {
    if (idx < 0) return;
    const t = tensors[idx]!;
    if (t.isConstant) return;
    if (t.isVariable) {
      throw new UnsupportedOpError(`${model.name}: tensor ${idx} (${t.name}) is a variable (state) tensor; the C writer supports stateless models only`,
        { op: '-', version: 0, operatorIndex: -1, subgraph: prepared.subgraph, tensor: idx });
    }
    const s = span.get(idx);
    if (!s) span.set(idx, { first: i, last: i });
    else { s.first = Math.min(s.first, i); s.last = Math.max(s.last, i); }
  };
  prepared.inputs.forEach((i) => touch(i, 0));
  ops.forEach((p, i) => [...p.op.inputs, ...p.op.outputs].forEach((x) => touch(x, i)));
  prepared.outputs.forEach((i) => touch(i, lastOp));
  const planTensors: PlanTensor[] = [...span].map(([idx, s]) => ({ name: String(idx), bytes: Math.max(tensors[idx]!.bytes.length, 1), firstOp: s.first, lastOp: s.last }));
  const plan = planArena(planTensors);
  const tensorOffsets = new Map<number, number>([...span.keys()].map((idx) => [idx, plan.offsets.get(String(idx))!]));
  const arenaBytes = Math.max(plan.arenaBytes, ARENA_ALIGNMENT);

  // Constant tensors referenced by ops become static const arrays of their element type.
  const usedConst = new Set<number>();
  for (const p of ops) for (const i of p.op.inputs) if (i >= 0 && tensors[i]!.isConstant) usedConst.add(i);
  let constBytes = 0;
  const constDecls: string[] = [];
  for (const idx of [...usedConst].sort((a, b) => a - b)) {
    const t = tensors[idx]!;
    const ct = C_TYPES[t.type];
    if (!ct || t.type === 'float32') {
      if (t.type !== 'float32') throw new UnsupportedOpError(`${model.name}: constant tensor ${idx} has type ${t.type}, which the C writer cannot emit`, { op: '-', version: 0, operatorIndex: -1, subgraph: prepared.subgraph, tensor: idx });
    }
    constBytes += t.bytes.length;
    const values = t.type === 'float32' ? new Int32Array(t.data.buffer, t.data.byteOffset, t.size) : (t.data as ArrayLike<number>);
    // float32 constants are emitted as their bit patterns in an int32 array (exact, no parsing).
    const type = t.type === 'float32' ? 'int32_t' : ct!;
    constDecls.push(cConstArray(type, `${P}_t${idx}`, values, `tensor ${idx} ${t.name} ${t.type} [${t.shape.join(',')}]`));
  }

  const refs: TensorRefs = {
    tensor: (idx) => tensors[idx]!,
    ptr(idx, cType) {
      const t = tensors[idx]!;
      if (t.isConstant) return cType === 'void' ? `(const void *)${P}_t${idx}` : `(const ${cType} *)${P}_t${idx}`;
      const off = tensorOffsets.get(idx);
      if (off === undefined) throw new Error(`internal: tensor ${idx} has no arena offset`);
      return `(${cType} *)(${P}_arena + ${off})`;
    },
  };

  const opDecls: string[] = [];
  const calls: string[] = [];
  const opInfo: GeneratedOpInfo[] = [];
  ops.forEach((p, i) => {
    const e = emitOp(p, refs, `${P}_op${i}`);
    if (e.decls) opDecls.push(`/* op ${i}: ${p.op.opName} */\n${e.decls}`);
    calls.push(`  /* op ${i}: ${p.op.opName} -> tensor ${p.op.outputs.join(',')} */\n  ${e.call}\n  if (${P}_hook) ${P}_hook(${i}, ${P}_hook_user);`);
    opInfo.push({ index: i, name: p.op.opName, kernel: e.kernel, macs: e.macs ?? 0, inputs: [...p.op.inputs], outputs: [...p.op.outputs] });
  });

  const sha = createHash('sha256').update(model.bytes).digest('hex');
  const io = (list: number[]): { index: number; bytes: number }[] => list.map((index) => ({ index, bytes: tensors[index]!.bytes.length }));
  const inputs = io(prepared.inputs), outputs = io(prepared.outputs);
  const nT = tensors.length;
  const tensorTable = tensors.map((t, idx) => {
    if (t.isConstant) return usedConst.has(idx) ? `  { (const void *)${P}_t${idx}, ${t.bytes.length}u, 1 },` : `  { NULL, 0u, 0 },`;
    const off = tensorOffsets.get(idx);
    return off === undefined ? `  { NULL, 0u, 0 },` : `  { (const void *)(${P}_arena + ${off}), ${t.bytes.length}u, 0 },`;
  });

  const header = `/* Generated by tinyser compiler/writers/c from ${cComment(model.name)} (sha256 ${sha}). Do not edit. */
#ifndef ${PU}_H
#define ${PU}_H

#include <stdint.h>

#define ${PU}_ID ${cString(`${model.name}:${sha.slice(0, 16)}`)}
#define ${PU}_HASH32 0x${sha.slice(0, 8)}u
#define ${PU}_ARENA_BYTES ${arenaBytes}u
#define ${PU}_CONST_BYTES ${constBytes}u
#define ${PU}_OP_COUNT ${ops.length}
#define ${PU}_TENSOR_COUNT ${nT}
#define ${PU}_INPUT_COUNT ${inputs.length}
#define ${PU}_OUTPUT_COUNT ${outputs.length}
#define ${PU}_INPUT_BYTES ${inputs[0]?.bytes ?? 0}u
#define ${PU}_OUTPUT_BYTES ${outputs[0]?.bytes ?? 0}u

/* Called after every operator with its index: profiling and per-tensor checks. */
typedef void (*${P}_op_hook_fn)(int32_t op_index, void *user);

/* Copies input 0 in, runs every op, copies output 0 out. Returns 0. */
int ${P}_invoke(const int8_t *input, int8_t *output);
/* Runs every op on the arena as it is (inputs written through ${P}_input). */
void ${P}_run(void);
/* Arena storage of graph input / output i (NULL if out of range). */
void *${P}_input(int32_t i);
void *${P}_output(int32_t i);
/* Any tensor by .tflite index: 0 and its storage, or -1 if it has none (unused constant, bad index).
 * Arena tensors are shared: read one in the op hook right after the op that writes it. */
int ${P}_tensor(int32_t index, const void **data, uint32_t *bytes);
void ${P}_set_op_hook(${P}_op_hook_fn fn, void *user);

extern const char *const ${P}_op_names[${Math.max(ops.length, 1)}];
/* First output tensor (.tflite index) of each op. */
extern const int32_t ${P}_op_outputs[${Math.max(ops.length, 1)}];

#endif
`;

  const source = `/* Generated by tinyser compiler/writers/c from ${cComment(model.name)} (sha256 ${sha}). Do not edit. */
#include <stddef.h>
#include <string.h>
#include "${base}.h"
#include "tinyser_kernels.h"
${ops.some((p) => p.op.builtinCode === 67) ? '#include "transpose_conv.h"\n' : ''}
#if defined(__GNUC__)
static uint8_t ${P}_arena[${arenaBytes}] __attribute__((aligned(${ARENA_ALIGNMENT})));
#else
static uint8_t ${P}_arena[${arenaBytes}];
#endif

static ${P}_op_hook_fn ${P}_hook = NULL;
static void *${P}_hook_user = NULL;

/* ---- constant tensors ---- */
${constDecls.join('\n')}
/* ---- op parameters (from the interpreter's Prepare) ---- */
${opDecls.join('\n')}
const char *const ${P}_op_names[${Math.max(ops.length, 1)}] = { ${ops.length ? ops.map((p) => cString(p.op.opName)).join(', ') : '""'} };
const int32_t ${P}_op_outputs[${Math.max(ops.length, 1)}] = { ${ops.length ? ops.map((p) => p.op.outputs[0] ?? -1).join(', ') : '-1'} };

typedef struct { const void *data; uint32_t bytes; int32_t is_const; } ${P}_tensor_entry;
static const ${P}_tensor_entry ${P}_tensors[${Math.max(nT, 1)}] = {
${nT ? tensorTable.join('\n') : '  { NULL, 0u, 0 },'}
};
static const uint32_t ${P}_input_offsets[${Math.max(inputs.length, 1)}] = { ${inputs.length ? inputs.map((x) => `${tensorOffsets.get(x.index)}u`).join(', ') : '0u'} };
static const uint32_t ${P}_output_offsets[${Math.max(outputs.length, 1)}] = { ${outputs.length ? outputs.map((x) => `${tensorOffsets.get(x.index)}u`).join(', ') : '0u'} };

void ${P}_set_op_hook(${P}_op_hook_fn fn, void *user) {
  ${P}_hook = fn;
  ${P}_hook_user = user;
}

void *${P}_input(int32_t i) {
  return (i >= 0 && i < ${inputs.length}) ? (void *)(${P}_arena + ${P}_input_offsets[i]) : NULL;
}

void *${P}_output(int32_t i) {
  return (i >= 0 && i < ${outputs.length}) ? (void *)(${P}_arena + ${P}_output_offsets[i]) : NULL;
}

int ${P}_tensor(int32_t index, const void **data, uint32_t *bytes) {
  if (index < 0 || index >= ${nT} || ${P}_tensors[index].data == NULL) return -1;
  *data = ${P}_tensors[index].data;
  *bytes = ${P}_tensors[index].bytes;
  return 0;
}

void ${P}_run(void) {
${calls.join('\n')}
}

int ${P}_invoke(const int8_t *input, int8_t *output) {
  memcpy(${P}_input(0), input, ${PU}_INPUT_BYTES);
  ${P}_run();
  memcpy(output, ${P}_output(0), ${PU}_OUTPUT_BYTES);
  return 0;
}
`;
  return {
    files: { [`${base}.h`]: header, [`${base}.c`]: source },
    prefix: P, arenaBytes, tensorOffsets, constBytes, plan, ops: opInfo, totalMacs: opInfo.reduce((a, o) => a + o.macs, 0), modelSha256: sha, inputs, outputs,
  };
}
