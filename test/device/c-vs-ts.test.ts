/** The portable C (host gcc) and the TS twins produce identical bytes: COBS/CRC framing, frame
 * decoding of damaged streams, SHA-256, the placeholder pipeline and RESULT batching; and the shared
 * device shell (src/app/device_shell.c) answers the TS host as PROTOCOL.md says. */
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHostCheck } from '../../device-bridge/firmware/build.js';
import { ed25519PublicKeyRaw } from '../../device-bridge/image/image.js';
import { energyPipelineInt8 } from '../../device-bridge/pipeline/energy-pipeline.js';
import { cobsDecode, cobsEncode } from '../../device-bridge/protocol/cobs.js';
import { crc32Ieee } from '../../device-bridge/protocol/crc32.js';
import { encodeFrame, FrameDecoder, MAX_BODY, type Frame } from '../../device-bridge/protocol/frame.js';
import { decodeAck, decodeInfo, decodeResults, decodeStats, encodeAudio, Flag, INFO_BODY_BYTES, MsgType, type ResultRecord } from '../../device-bridge/protocol/messages.js';
import { ResultBatcher, resultRecordBytes, resultRecordsPerFrame, ResultWireMeter } from '../../device-bridge/protocol/result-batch.js';

let dir = '';
let bin = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tinyser-hostc-'));
  bin = buildHostCheck(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], input: Uint8Array) => execFileSync(bin, args, { input, maxBuffer: 64 << 20 });

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

/** Bodies rich in zeros and in long non-zero runs (the COBS edge cases: 253/254/255 runs). */
function randomBodies(count: number, r: () => number): Uint8Array[] {
  const out: Uint8Array[] = [new Uint8Array(0), new Uint8Array(254).fill(7), new Uint8Array(1024).fill(0), new Uint8Array(1024).fill(255)];
  for (const n of [253, 254, 255, 508, 509]) out.push(Uint8Array.from({ length: n }, (_, i) => (i % 254) + 1));
  while (out.length < count) {
    const n = Math.floor(r() * 1025);
    const zeroRate = r() < 0.3 ? 0 : r() * 0.5;
    out.push(Uint8Array.from({ length: n }, () => (r() < zeroRate ? 0 : 1 + Math.floor(r() * 255))));
  }
  return out;
}

describe('C vs TS on the host compiler', () => {
  it('frame_encode and encodeFrame give identical wire bytes, and COBS round-trips', () => {
    const r = rng(11);
    const bodies = randomBodies(200, r);
    const spec: number[] = [];
    const tsWire: Uint8Array[] = [];
    bodies.forEach((b, i) => {
      const type = 1 + (i % 0x7f);
      const flags = (i * 37) & 0xff;
      const seq = (i * 2654435761) & 0xffff;
      spec.push(type, flags, seq & 0xff, seq >> 8, b.length & 0xff, b.length >> 8, ...b);
      tsWire.push(encodeFrame(type, flags, seq, b));
      const enc = cobsEncode(b);
      expect(enc.includes(0)).toBe(false);
      expect(Buffer.from(cobsDecode(enc)!)).toEqual(Buffer.from(b));
    });
    const cWire = run(['encode'], Uint8Array.from(spec));
    expect(Buffer.from(cWire)).toEqual(Buffer.concat(tsWire));
  });

  it('decoders agree frame by frame on a damaged stream and count the same bad frames', () => {
    const r = rng(5);
    const frames = randomBodies(300, r).map((b, i) => encodeFrame(3, 0, i, b));
    const wire: number[] = [];
    for (const f of frames) {
      for (const byte of f) {
        const x = r();
        if (byte !== 0 && x < 0.0005) continue; // drop
        if (byte !== 0 && x < 0.001) {
          wire.push(byte ^ 0x5a || 1);
          continue;
        }
        wire.push(byte);
      }
      if (r() < 0.02) wire.push(0); // stray delimiters are idle filler, not frames
    }
    const input = Uint8Array.from(wire);
    const ts: string[] = [];
    const dec = new FrameDecoder((f: Frame) => ts.push(`${f.type} ${f.flags} ${f.seq} ${f.body.length} ${crc32Ieee(f.body).toString(16).padStart(8, '0')}`));
    dec.push(input);
    ts.push(`bad ${dec.stats.framesBad} ok ${dec.stats.framesOk}`);
    const c = run(['decode'], input).toString().trim().split('\n');
    expect(c).toEqual(ts);
    expect(dec.stats.framesBad).toBeGreaterThan(10);
    expect(dec.stats.framesOk).toBeGreaterThan(100);
  });

  it('SHA-256 and CRC-32 match node:crypto / the TS table', () => {
    const r = rng(9);
    const data = Uint8Array.from({ length: 5000 }, () => Math.floor(r() * 256));
    const lens = [0, 1, 55, 56, 63, 64, 65, 119, 120, 4096, 5000];
    const c = run(['sha256', ...lens.map(String)], data).toString().trim().split('\n');
    expect(c).toEqual(lens.map((n) => createHash('sha256').update(data.subarray(0, n)).digest('hex')));
    expect(run(['crc32'], data).toString().trim()).toBe(crc32Ieee(data).toString(16).padStart(8, '0'));
  });

  it('the placeholder pipeline is bit-exact between C and TS (features and scores)', () => {
    const r = rng(3);
    const n = 16000;
    const pcm = new Int16Array(n);
    for (let i = 0; i < n; i++) {
      const env = i < 4000 ? 0.02 : i < 9000 ? 1 : 0.3;
      pcm[i] = Math.max(-32768, Math.min(32767, Math.round(env * (12000 * Math.sin(i * 0.031) + 9000 * (r() - 0.5)))));
    }
    for (const offset of [0, 160, 173]) {
      const c = run(['pipeline', String(offset)], new Uint8Array(pcm.buffer)).toString().trim().split('\n');
      const ts = energyPipelineInt8(pcm, offset).map((w) => `${w.window} ${w.top} ${Array.from(w.scores).join(' ')} | ${Array.from(w.features).join(' ')}`);
      expect(ts.length).toBeGreaterThan(90);
      expect(c).toEqual(ts);
    }
  });

  it('C ed25519 verification accepts node:crypto signatures and rejects every altered one', () => {
    const r = rng(21);
    const L = (1n << 252n) + 27742317777372353535851937790883648493n;
    const verifyC = (pk: Uint8Array, sig: Uint8Array, msg: Uint8Array) => run(['ed25519'], Buffer.concat([pk, sig, msg])).toString().trim();
    let checked = 0;
    for (let i = 0; i < 6; i++) {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const pk = ed25519PublicKeyRaw(publicKey);
      const msg = Uint8Array.from({ length: [0, 1, 64, 100, 333, 1000][i]! }, () => Math.floor(r() * 256));
      const sig = new Uint8Array(sign(null, msg, privateKey));
      expect(verifyC(pk, sig, msg)).toBe('1');
      const badSig = sig.slice();
      badSig[Math.floor(r() * 64)] ^= 1 << Math.floor(r() * 8);
      expect(verifyC(pk, badSig, msg)).toBe('0');
      if (msg.length > 0) {
        const badMsg = msg.slice();
        badMsg[Math.floor(r() * msg.length)] ^= 0x10;
        expect(verifyC(pk, sig, badMsg)).toBe('0');
      }
      const other = ed25519PublicKeyRaw(generateKeyPairSync('ed25519').publicKey);
      expect(verifyC(other, sig, msg)).toBe('0');
      // S + L verifies mathematically but is not canonical: malleability must be refused.
      let s = 0n;
      for (let k = 31; k >= 0; k--) s = (s << 8n) | BigInt(sig[32 + k]!);
      const sPlusL = s + L;
      if (sPlusL < 1n << 256n) {
        const mall = sig.slice();
        for (let k = 0; k < 32; k++) mall[32 + k] = Number((sPlusL >> BigInt(8 * k)) & 0xffn);
        expect(verifyC(pk, mall, msg)).toBe('0');
      }
      checked++;
    }
    expect(checked).toBe(6);
  });
});

/** Runs host frames through the shared device shell (host_check shell) and decodes its answer. */
function runShell(frames: Uint8Array[]): Frame[] {
  const out: Frame[] = [];
  const dec = new FrameDecoder((f) => out.push(f));
  dec.push(new Uint8Array(run(['shell'], Buffer.concat(frames))));
  expect(dec.stats.framesBad).toBe(0);
  return out;
}

function audioFrames(pcm: Int16Array, chunk: number, flags: (start: number, end: number) => number, seq0 = 10): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let o = 0, seq = seq0; o < pcm.length; o += chunk, seq++) {
    const e = Math.min(pcm.length, o + chunk);
    frames.push(encodeFrame(MsgType.AUDIO, flags(o, e), seq, encodeAudio(o, pcm.subarray(o, e))));
  }
  return frames;
}

function speechLike(n: number, seed: number): Int16Array {
  const r = rng(seed);
  return Int16Array.from({ length: n }, (_, i) => Math.round((i % 4000 < 2500 ? 1 : 0.05) * (11000 * Math.sin(i * 0.037) + 6000 * (r() - 0.5))));
}

describe('RESULT batching (result_batch.c vs ResultBatcher)', () => {
  it('sends identical RESULT frames for the same adds, polls, flushes and bulk switches', () => {
    for (const [nc, hold, seed] of [[4, 100, 1], [16, 7, 2], [1, 0, 3], [9, 5000, 4]] as const) {
      const r = rng(seed);
      const script: number[] = [nc, hold & 0xff, (hold >> 8) & 0xff, (hold >> 16) & 0xff, hold >>> 24];
      const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
      const tsWire: Uint8Array[] = [];
      let seq = 0;
      const ts = new ResultBatcher(nc, hold, (body) => tsWire.push(encodeFrame(MsgType.RESULT, 0, seq++, body)));
      // Ticks start just below 2^32 so the hold comparison crosses the counter's wrap.
      let now = 0xffffffff - 2000;
      let window = 0;
      const added: ResultRecord[] = [];
      for (let step = 0; step < 1500; step++) {
        const x = r();
        now = (now + Math.floor(r() * 40)) >>> 0;
        if (x < 0.7) {
          const rec: ResultRecord = { window: window++, frontendCycles: Math.floor(r() * 2 ** 32), modelCycles: Math.floor(r() * 70000), top: Math.floor(r() * nc), scores: Array.from({ length: nc }, () => Math.floor(r() * 256) - 128) };
          added.push(rec);
          script.push(0x41, ...u32(now), ...u32(rec.window), ...u32(rec.frontendCycles), ...u32(rec.modelCycles), rec.top, ...rec.scores.map((v) => v & 0xff));
          ts.add(rec, now);
        } else if (x < 0.97) {
          script.push(0x50, ...u32(now));
          ts.poll(now);
        } else if (x < 0.985) {
          script.push(0x46);
          ts.flush();
        } else {
          const bulk = r() < 0.5;
          script.push(0x42, bulk ? 1 : 0);
          ts.bulk = bulk;
        }
      }
      script.push(0x46);
      ts.flush();
      const c = run(['batch'], Uint8Array.from(script));
      expect(Buffer.from(c)).toEqual(Buffer.concat(tsWire));
      // Every record arrives once, in order, in frames no larger than MAX_BODY.
      const got: ResultRecord[] = [];
      const dec = new FrameDecoder((f) => {
        expect(f.body.length).toBeLessThanOrEqual(MAX_BODY);
        got.push(...decodeResults(f.body));
      });
      dec.push(new Uint8Array(c));
      expect(got).toEqual(added);
      expect(tsWire.length).toBeGreaterThan(10);
    }
  });

  it('a full frame leaves at once: 60 records of 4 classes, 1022-byte body, 1.015 wire bytes per record byte', () => {
    expect(resultRecordsPerFrame(4)).toBe(60);
    const sent: Uint8Array[] = [];
    const b = new ResultBatcher(4, 1000, (body) => sent.push(body));
    b.bulk = true;
    for (let w = 0; w < 60; w++) b.add({ window: w, frontendCycles: 246, modelCycles: 5, top: 2, scores: [-112, 11, 96, -41] }, w);
    expect(sent.map((x) => x.length)).toEqual([2 + 60 * resultRecordBytes(4)]);
    const m = new ResultWireMeter();
    m.addFrame(MsgType.RESULT, 0, 0, sent[0]!);
    expect(m.cost.payloadBytes).toBe(60 * 17);
    expect(m.cost.wirePerPayload).toBeLessThanOrEqual(1.03);
  });
});

describe('shared device shell (src/app/device_shell.c) on the host', () => {
  it('reports features per window as u16 at INFO 38 and its u8 at 37; decodeInfo reads firmware 1.0 bodies too', () => {
    const frames = runShell([encodeFrame(MsgType.HELLO, 0, 7, new Uint8Array(0))]);
    expect(frames.map((f) => [f.type, f.flags, f.seq])).toEqual([
      [MsgType.INFO, Flag.ANNOUNCE, 0],
      [MsgType.INFO, Flag.REPLY, 7],
    ]);
    const body = frames[1]!.body;
    expect(body.length).toBe(INFO_BODY_BYTES);
    expect([body[37], body[38], body[39]]).toEqual([4, 4, 0]);
    const info = decodeInfo(body);
    expect(info).toMatchObject({ firmwareVersion: '1.1', numFeatures: 4, numClasses: 4, board: 'host-check', cpuHz: 1000 });
    // A 1.1 device with 1000 features per window: u16 1000, u8 saturated (not 1000 & 0xff = 232).
    const big = body.slice();
    big[37] = 255;
    big[38] = 1000 & 0xff;
    big[39] = 1000 >> 8;
    expect(decodeInfo(big).numFeatures).toBe(1000);
    // Firmware 1.0: u8 at 37, reserved (0) at 38.
    const legacy = body.slice();
    legacy[37] = 200;
    legacy[38] = 0;
    legacy[39] = 0;
    expect(decodeInfo(legacy).numFeatures).toBe(200);
  });

  it('BULK streams send full RESULT frames; END ships the rest before the last ACK; records equal the twin', () => {
    const pcm = speechLike(16000 * 2, 5); // 198 windows
    const want = energyPipelineInt8(pcm);
    const frames = runShell(audioFrames(pcm, 500, (o, e) => (o === 0 ? Flag.START : 0) | Flag.BULK | (e === pcm.length ? Flag.END : 0)));
    const results = frames.filter((f) => f.type === MsgType.RESULT);
    const counts = results.map((f) => decodeResults(f.body).length);
    expect(counts).toEqual([60, 60, 60, want.length - 180]);
    const records = results.flatMap((f) => decodeResults(f.body));
    expect(records.map((r) => [r.window, r.top, ...r.scores])).toEqual(want.map((w) => [w.window, w.top, ...w.scores]));
    // The last frame is the ACK of the END chunk, and it comes after every RESULT.
    const last = frames[frames.length - 1]!;
    expect(last.type).toBe(MsgType.ACK);
    expect(decodeAck(last.body).value).toBe(pcm.length);
    expect(frames.findLastIndex((f) => f.type === MsgType.RESULT)).toBe(frames.length - 2);
    // Stream frames carry consecutive sequence numbers: gap detection still works frame by frame.
    const streamSeqs = frames.filter((f) => !(f.flags & Flag.REPLY)).map((f) => f.seq);
    expect(streamSeqs).toEqual(streamSeqs.map((_, i) => i));
    const m = new ResultWireMeter();
    for (const f of results) m.addFrame(f.type, f.flags, f.seq, f.body);
    expect(m.cost.records).toBe(want.length);
    expect(m.cost.wirePerPayload).toBeLessThanOrEqual(1.03);
  });

  it('live streams release records within the hold time; any other command is answered after the held records', () => {
    const pcm = speechLike(16000, 8); // 98 windows
    const want = energyPipelineInt8(pcm);
    // Live (no BULK, no END), then STATS: the held tail must precede the STATS reply.
    const frames = runShell([...audioFrames(pcm, 200, (o) => (o === 0 ? Flag.START : 0)), encodeFrame(MsgType.STATS, 0, 99, new Uint8Array(0))]);
    const results = frames.filter((f) => f.type === MsgType.RESULT);
    const records = results.flatMap((f) => decodeResults(f.body));
    expect(records.map((r) => r.window)).toEqual(want.map((w) => w.window));
    // The hold time (100 ticks here), not the frame size, cut these frames: several, none full.
    expect(results.length).toBeGreaterThan(3);
    expect(Math.max(...results.map((f) => f.body[0]!))).toBeLessThan(resultRecordsPerFrame(4));
    const statsAt = frames.findIndex((f) => f.type === MsgType.STATS);
    expect(statsAt).toBe(frames.length - 1);
    expect(frames[statsAt - 1]!.type).toBe(MsgType.RESULT);
    const stats = decodeStats(frames[statsAt]!.body);
    expect(stats.resultsProduced).toBe(want.length);
    expect(stats.streamSeq).toBe(1 + results.length); // announce + RESULT frames
  });
});
