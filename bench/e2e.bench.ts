/**
 * The SER chain on the emulated board (QEMU mps2-an386, -icount shift=0): DS-CNN fixture compiled
 * to int8 + generated C + C frontend in the firmware, 10 s of speech-like audio through HIL.
 * Figures: wall time and windows/s of the whole host -> pty -> firmware -> host path (real-time
 * factor = audio seconds / wall seconds), emulated instructions per stage (SysTick ticks x 40: not
 * Cortex-M4 cycles), and the compiler's cost-model estimate for a real Cortex-M4 at 168 MHz.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORTEX_M4_168, estimateLatencyMs } from '../compiler/cost-model.js';
import { importOnnx } from '../compiler/import/onnx/import-onnx.js';
import { optimizeGraph } from '../compiler/passes/index.js';
import { startEmulator } from '../device-bridge/emulator/qemu.js';
import { buildSerFirmware } from '../device-bridge/firmware/ser-build.js';
import { runSerHil } from '../device-bridge/hil/ser-hil.js';
import { Session } from '../device-bridge/protocol/session.js';
import { openSerial } from '../device-bridge/transport/serial.js';
import { compileDsCnnFixture, repoRoot, speechLike } from '../test/e2e/ser-fixture.js';
import { readFileSync } from 'node:fs';

const INSTRUCTIONS_PER_SYSTICK = 40;

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tinyser-bench-e2e-'));
  try {
    let t = Date.now();
    const fx = await compileDsCnnFixture();
    const fw = buildSerFirmware({ tflite: fx.tflite, frontend: fx.frontend, buildDir: join(dir, 'fw') });
    console.log(`compile + firmware build: ${((Date.now() - t) / 1000).toFixed(1)} s; app ${fw.sizes.app.flashBytes} B flash, ${fw.sizes.app.ramBytes} B RAM, arena ${fw.arenaBytes} B`);
    const emu = await startEmulator({ bootloader: fw.bootloader, app: fw.app });
    const session = new Session(await openSerial(emu.serialPath), { ackTimeoutMs: 3000 });
    try {
      await emu.resume();
      const pcm = speechLike(16000 * 10, 3);
      t = Date.now();
      const r = await runSerHil(session, fw.spec, [{ name: 'speech-10s', pcm }]);
      const wall = (Date.now() - t) / 1000;
      console.log(`HIL: ${r.windows} windows (${fw.geometry.windowFrames}-frame window, hop ${fw.geometry.hopFrames} frames), bit-exact ${r.matched}/${r.windows}, ${wall.toFixed(1)} s wall, ${(r.windows / wall).toFixed(2)} windows/s, real-time factor ${(10 / wall).toFixed(2)}`);
      for (const s of ['frontend', 'model', 'total'] as const) {
        const l = r.latency[s].ticks;
        console.log(`  ${s.padEnd(8)} p50 ${l.p50} ticks = ${(l.p50 * INSTRUCTIONS_PER_SYSTICK / 1e6).toFixed(2)} M instructions, p99 ${l.p99}, max ${l.max}`);
      }
      const g = optimizeGraph(importOnnx(new Uint8Array(readFileSync(join(repoRoot, 'test/fixtures/onnx/ds_cnn.onnx'))), { source: 'ds_cnn.onnx' }));
      console.log(`  model estimate on a real ${CORTEX_M4_168.name} (compiler cost model): ${estimateLatencyMs(g, CORTEX_M4_168).toFixed(2)} ms`);
    } finally {
      await emu.stop();
      await session.close().catch(() => undefined);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
