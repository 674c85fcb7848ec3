/**
 * Compiles many generated single-op models into ONE host binary (one gcc run per test file) with
 * a dispatch runner: stdin = records [int32 case][bytes of each input], stdout = output bytes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateModelCFromTflite, KERNELS_DIR, kernelSourceFiles, STRICT_C_FLAGS, type GeneratedModelC } from '../../compiler/writers/c/index.js';

export interface MultiBinary {
  dir: string;
  exe: string;
  gens: GeneratedModelC[];
  run(cases: { id: number; inputs: Uint8Array[] }[]): Uint8Array[];
  dispose(): void;
}

export function hasCompiler(cc: string): boolean {
  return spawnSync(cc, ['--version'], { encoding: 'utf8' }).status === 0;
}

export function buildMultiBinary(models: { name: string; model: Uint8Array }[], cc = 'gcc', flags = ['-O1']): MultiBinary {
  const dir = mkdtempSync(path.join(tmpdir(), 'tinyser-ckernels-'));
  const gens = models.map((m, i) => {
    const g = generateModelCFromTflite(m.model, m.name, { prefix: `c${i}`, baseName: `c${i}` });
    for (const [f, text] of Object.entries(g.files)) writeFileSync(path.join(dir, f), text);
    return g;
  });
  const entries = gens.map((g) => {
    const ins = g.inputs.map((x) => `${x.bytes}u`);
    return `  { ${g.prefix}_run, ${g.prefix}_input, ${g.prefix}_output, ${ins.length}, { ${[...ins, '0u', '0u', '0u', '0u'].slice(0, 4).join(', ')} }, ${g.outputs[0]!.bytes}u },`;
  });
  const runner = `#include <stdio.h>
#include <stdint.h>
${gens.map((g) => `#include "${g.prefix}.h"`).join('\n')}
typedef struct { void (*run)(void); void *(*input)(int32_t); void *(*output)(int32_t); int32_t n_in; uint32_t in_bytes[4]; uint32_t out_bytes; } case_t;
static const case_t cases[] = {
${entries.join('\n')}
};
int main(void) {
  int32_t id, i;
  while (fread(&id, 4, 1, stdin) == 1) {
    if (id < 0 || id >= (int32_t)(sizeof cases / sizeof cases[0])) return 2;
    for (i = 0; i < cases[id].n_in; i++) {
      if (fread(cases[id].input(i), 1, cases[id].in_bytes[i], stdin) != cases[id].in_bytes[i]) return 3;
    }
    cases[id].run();
    fwrite(cases[id].output(0), 1, cases[id].out_bytes, stdout);
  }
  return 0;
}
`;
  writeFileSync(path.join(dir, 'runner.c'), runner);
  const exe = path.join(dir, 'runner');
  const sources = [...gens.map((g) => path.join(dir, `${g.prefix}.c`)), path.join(dir, 'runner.c'), ...kernelSourceFiles()];
  const r = spawnSync(cc, [...STRICT_C_FLAGS, ...flags, '-I', dir, '-I', KERNELS_DIR, ...sources, '-o', exe], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cc} failed:\n${(r.stderr ?? '').slice(0, 4000)}`);
  return {
    dir, exe, gens,
    run(cases) {
      const chunks: Buffer[] = [];
      for (const c of cases) {
        const id = Buffer.alloc(4);
        id.writeInt32LE(c.id);
        chunks.push(id, ...c.inputs.map((x) => Buffer.from(x)));
      }
      const out = execFileSync(exe, [], { input: Buffer.concat(chunks), maxBuffer: 1 << 28 });
      const res: Uint8Array[] = [];
      let pos = 0;
      for (const c of cases) {
        const n = gens[c.id]!.outputs[0]!.bytes;
        res.push(new Uint8Array(out.subarray(pos, pos + n)));
        pos += n;
      }
      return res;
    },
    dispose() { rmSync(dir, { recursive: true, force: true }); },
  };
}
