/*
 * Host harness for the C frontend twin (test/cfrontend): runs one signal through every C entry point and
 * writes the results for the TS side to compare byte for byte.
 *   cfrontend_harness <in.pcm> <chunks.u32> <max_frames_per_push> <out.bin>
 *   cfrontend_harness bench <in.pcm> <repeat>   (prints "<cpu seconds> <frames>" of the streaming path)
 *   cfrontend_harness reset <in.pcm> <offset> <out.bin>   (tsr_frontend_reset_at(offset), then pushes
 *     samples[offset..] in 97-sample chunks; writes u32 first_frame, u32 frames, i8 rows[frames*dims])
 * in.pcm: int16 LE samples. chunks.u32: uint32 LE chunk sizes for the streaming run (cycled until the
 * signal is consumed; 0 allowed). Output (LE): u32 frames; i32 logmel[frames*bands]; i32 mfcc[frames*nm];
 * i8 int8[frames*dims]; u32 saturated; u32 stream_frames; i8 stream[stream_frames*dims]; u32 stream_saturated;
 * i32 energy_db_q20[frames]; u32 zcr[frames]; i32 f0_q4[frames]; u8 voiced[frames];
 * i8 frame0[dims] (tsr_frontend_frame on the first window, if frames > 0).
 * Exit 3 when the streaming API breaks its own contract (consumed / frames_for), with a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tsr_frontend.h"

static void *read_all(const char *path, size_t *bytes) {
  FILE *f = fopen(path, "rb");
  void *buf;
  long n;
  if (!f) { fprintf(stderr, "cannot open %s\n", path); exit(2); }
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = malloc((size_t)n + 4);
  if (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n) { fprintf(stderr, "short read %s\n", path); exit(2); }
  fclose(f);
  *bytes = (size_t)n;
  return buf;
}

static void put(FILE *f, const void *p, size_t n) {
  if (n > 0 && fwrite(p, 1, n, f) != n) { fprintf(stderr, "write failed\n"); exit(2); }
}

static tsr_frontend_t stream;
static tsr_frontend_work_t work;

int main(int argc, char **argv) {
  size_t pcm_bytes, chunk_bytes;
  int16_t *pcm;
  uint32_t *chunks;
  uint32_t n, n_chunks, frames, t, max_per_push, sat = 0, stream_frames = 0, ci = 0, pos = 0;
  int32_t *logmel, *mfcc, *energy, *f0;
  uint8_t *voiced;
  uint32_t *zcr;
  int8_t *q, *sq;
  FILE *out;
  if (argc == 4 && strcmp(argv[1], "bench") == 0) {
    /* streaming in 160-sample chunks (a typical DMA block), CPU time from clock() */
    static int8_t row[4 * TSR_FEATURE_DIMS];
    const long repeat = strtol(argv[3], NULL, 10);
    uint32_t total = 0;
    long r;
    clock_t c0;
    pcm = (int16_t *)read_all(argv[2], &pcm_bytes);
    n = (uint32_t)(pcm_bytes / 2);
    c0 = clock();
    for (r = 0; r < repeat; r++) {
      tsr_frontend_init(&stream);
      for (pos = 0; pos < n; pos += 160) total += tsr_frontend_push(&stream, &pcm[pos], n - pos < 160 ? n - pos : 160, row, 4);
    }
    printf("%.6f %u\n", (double)(clock() - c0) / CLOCKS_PER_SEC, total);
    return 0;
  }
  if (argc == 5 && strcmp(argv[1], "reset") == 0) {
    const uint32_t offset = (uint32_t)strtoul(argv[3], NULL, 10);
    uint32_t first, count = 0;
    int8_t *rows;
    pcm = (int16_t *)read_all(argv[2], &pcm_bytes);
    n = (uint32_t)(pcm_bytes / 2);
    rows = calloc((size_t)(n / TSR_HOP_SAMPLES + 2) * TSR_FEATURE_DIMS, 1);
    tsr_frontend_init(&stream);
    tsr_frontend_reset_at(&stream, offset);
    first = tsr_frontend_next_frame(&stream);
    for (pos = offset; pos < n; pos += 97)
      count += tsr_frontend_push(&stream, &pcm[pos], n - pos < 97 ? n - pos : 97, &rows[(size_t)count * TSR_FEATURE_DIMS], 8);
    out = fopen(argv[4], "wb");
    if (!out) return 2;
    put(out, &first, 4);
    put(out, &count, 4);
    put(out, rows, (size_t)count * TSR_FEATURE_DIMS);
    fclose(out);
    return 0;
  }
  if (argc != 5) { fprintf(stderr, "usage: %s in.pcm chunks.u32 max_frames_per_push out.bin\n", argv[0]); return 2; }
  pcm = (int16_t *)read_all(argv[1], &pcm_bytes);
  chunks = (uint32_t *)read_all(argv[2], &chunk_bytes);
  max_per_push = (uint32_t)strtoul(argv[3], NULL, 10);
  n = (uint32_t)(pcm_bytes / 2);
  n_chunks = (uint32_t)(chunk_bytes / 4);
  frames = n < TSR_WINDOW_SAMPLES ? 0 : 1 + (n - TSR_WINDOW_SAMPLES) / TSR_HOP_SAMPLES;
  logmel = calloc((size_t)frames * TSR_MEL_BANDS + 1, 4);
  mfcc = calloc((size_t)frames * TSR_MFCC_COUNT + 1, 4);
  energy = calloc((size_t)frames + 1, 4);
  zcr = calloc((size_t)frames + 1, 4);
  f0 = calloc((size_t)frames + 1, 4);
  voiced = calloc((size_t)frames + 1, 1);
  q = calloc((size_t)frames * TSR_FEATURE_DIMS + 1, 1);
  sq = calloc((size_t)(frames + 1) * TSR_FEATURE_DIMS, 1);
  for (t = 0; t < frames; t++) {
    const uint32_t s = t * TSR_HOP_SAMPLES;
    sat += tsr_frontend_frame_q20(&work, &pcm[s], s > 0 ? pcm[s - 1] : 0, &logmel[t * TSR_MEL_BANDS], &mfcc[t * TSR_MFCC_COUNT],
                                  &q[t * TSR_FEATURE_DIMS]);
    energy[t] = tsr_frame_energy_db_q20(&pcm[s], TSR_WINDOW_SAMPLES);
    zcr[t] = tsr_zero_crossing_count(&pcm[s], TSR_WINDOW_SAMPLES);
    {
      int16_t yin_buf[TSR_YIN_WINDOW_SAMPLES];
      tsr_f0_q_t r;
      const int32_t c = tsr_yin_window_start(t);
      uint32_t i;
      for (i = 0; i < TSR_YIN_WINDOW_SAMPLES; i++) {
        const int64_t j = (int64_t)c + i;
        yin_buf[i] = j >= 0 && j < (int64_t)n ? pcm[j] : 0;
      }
      tsr_yin_f0_q(yin_buf, &r);
      f0[t] = r.f0_q4;
      voiced[t] = r.voiced;
    }
  }
  tsr_frontend_init(&stream);
  while (pos < n) {
    uint32_t len = n_chunks ? chunks[ci++ % n_chunks] : n;
    if (len > n - pos) len = n - pos;
    while (1) {
      const uint32_t expect = tsr_frontend_frames_for(&stream, len);
      uint32_t room = frames + 1 - stream_frames;
      uint32_t got;
      if (room > max_per_push) room = max_per_push;
      got = tsr_frontend_push(&stream, &pcm[pos], len, &sq[(size_t)stream_frames * TSR_FEATURE_DIMS], room);
      if (got > room) { fprintf(stderr, "push wrote %u frames, room %u\n", got, room); return 3; }
      if (expect <= room && (got != expect || stream.consumed != len)) {
        fprintf(stderr, "frames_for predicted %u, push gave %u (consumed %u of %u)\n", expect, got, stream.consumed, len);
        return 3;
      }
      if (expect > room && got != room) { fprintf(stderr, "push stopped at %u frames with room %u\n", got, room); return 3; }
      stream_frames += got;
      pos += stream.consumed;
      len -= stream.consumed;
      if (len == 0) break;
      if (got == 0 && stream.consumed == 0) { fprintf(stderr, "push made no progress\n"); return 3; }
    }
  }
  out = fopen(argv[4], "wb");
  if (!out) { fprintf(stderr, "cannot write %s\n", argv[4]); return 2; }
  put(out, &frames, 4);
  put(out, logmel, (size_t)frames * TSR_MEL_BANDS * 4);
  put(out, mfcc, (size_t)frames * TSR_MFCC_COUNT * 4);
  put(out, q, (size_t)frames * TSR_FEATURE_DIMS);
  put(out, &sat, 4);
  put(out, &stream_frames, 4);
  put(out, sq, (size_t)stream_frames * TSR_FEATURE_DIMS);
  put(out, &stream.saturated, 4);
  put(out, energy, (size_t)frames * 4);
  put(out, zcr, (size_t)frames * 4);
  put(out, f0, (size_t)frames * 4);
  put(out, voiced, (size_t)frames);
  if (frames > 0) {
    int8_t f0[TSR_FEATURE_DIMS];
    tsr_frontend_frame(pcm, f0);
    put(out, f0, TSR_FEATURE_DIMS);
  }
  fclose(out);
  return 0;
}
