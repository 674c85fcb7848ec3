/**
 * eSpeak NG (npm `espeak-ng`, Emscripten WASM, GPL-3.0) as a speech source for the demo data only.
 * It is an optional dependency: `loadEspeak()` returns null when the package is absent and the
 * caller falls back to the formant synthesiser. Each call instantiates the module afresh (its CLI
 * main() runs once per instance), so the compiled WebAssembly.Module is cached and reused; the
 * rest of the ~0.2 s per call is eSpeak loading its voice data, which is why callers batch several
 * utterances into one SSML document.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { TinyserError } from '../../../common/errors.js';

export const ESPEAK_SAMPLE_RATE = 22050;
/** 2000-01-01T00:00:00Z: the clock eSpeak sees. */
const FIXED_CLOCK_MS = 946684800000;

interface EspeakModule {
  FS: { readFile(path: string): Uint8Array };
}
type EspeakFactory = (opts: Record<string, unknown>) => Promise<EspeakModule>;

export interface EspeakEngine {
  /** Runs the eSpeak CLI with `args` (without -w) and returns the 22.05 kHz int16 mono output. */
  synthesize(args: readonly string[]): Promise<Int16Array>;
}

let cached: Promise<EspeakEngine | null> | undefined;

export function loadEspeak(): Promise<EspeakEngine | null> {
  cached ??= (async () => {
    let entry: string;
    try {
      entry = createRequire(import.meta.url).resolve('espeak-ng');
    } catch {
      return null;
    }
    const spec = 'espeak-ng'; // a variable keeps the bundler from following the optional GPL module
    const factory = ((await import(spec)) as { default: EspeakFactory }).default;
    const wasmModule = await WebAssembly.compile(await readFile(path.join(path.dirname(entry), 'espeak-ng.wasm')));
    return {
      async synthesize(args) {
        const errors: string[] = [];
        const mod = await factory({
          arguments: ['-w', 'out.wav', ...args],
          print: () => {},
          printErr: (s: string) => errors.push(s),
          instantiateWasm(imports: WebAssembly.Imports, receive: (i: WebAssembly.Instance, m: WebAssembly.Module) => void) {
            // eSpeak seeds its breath-noise generator from the clock (srand(time(0))): a fixed clock
            // makes breathy variants deterministic, so "same seed = same bytes" holds for all voices.
            const env = (imports.env ?? {}) as Record<string, WebAssembly.ImportValue>;
            const pinned: WebAssembly.Imports = { ...imports, env: { ...env, emscripten_date_now: () => FIXED_CLOCK_MS } };
            void WebAssembly.instantiate(wasmModule, pinned).then((inst) => receive(inst, wasmModule));
            return {};
          },
        });
        let bytes: Uint8Array;
        try {
          bytes = mod.FS.readFile('out.wav');
        } catch {
          throw new TinyserError('TOOLCHAIN', `espeak-ng produced no WAV for arguments ${JSON.stringify(args.slice(0, 6))}: ${errors.join('; ')}`);
        }
        return pcm16FromWav(bytes, 'espeak-ng output');
      },
    };
  })();
  return cached;
}

/** Minimal RIFF reader for eSpeak's own output (16-bit PCM mono); not a general WAV decoder. */
export function pcm16FromWav(bytes: Uint8Array, name: string): Int16Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number): string => String.fromCharCode(bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]);
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new TinyserError('WAV_FORMAT', `${name}: not a RIFF/WAVE file`);
  let off = 12;
  while (off + 8 <= bytes.length) {
    const id = tag(off);
    // eSpeak streams its output and may leave the data size as 0 or 0xffffffff: take the rest.
    let size = dv.getUint32(off + 4, true);
    if (id === 'data') {
      if (size === 0 || off + 8 + size > bytes.length) size = bytes.length - off - 8;
      const n = Math.floor(size / 2);
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = dv.getInt16(off + 8 + 2 * i, true);
      return out;
    }
    off += 8 + size + (size & 1);
  }
  throw new TinyserError('WAV_FORMAT', `${name}: no data chunk`);
}
