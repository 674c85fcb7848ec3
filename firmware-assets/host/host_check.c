/*
 * Host build of the portable firmware sources, driven by test/device/c-vs-ts.test.ts:
 *   host_check decode   < wire.bin   one line per valid frame, then "bad N ok M"
 *   host_check encode   < spec.bin   records {type u8, flags u8, seq u16, len u16, body} -> wire bytes
 *   host_check sha256   < data.bin   digest of every prefix length listed in argv[2..]
 *   host_check pipeline OFFSET < pcm.bin (int16 LE)   one line per window
 *   host_check crc32    < data.bin
 *   host_check ed25519  < pk(32) sig(64) msg   prints 1 (valid) or 0
 *   host_check batch    < script   RESULT batching: header {nClasses u8, holdTicks u32}, then events
 *                      'A' now u32 record(13 + nClasses) | 'P' now u32 | 'F' | 'B' bulk u8
 *                      -> the wire bytes of every RESULT frame sent (stream seq from 0)
 *   host_check shell    < wire.bin   the shared device shell (src/app/device_shell.c) with the placeholder
 *                      pipeline: host frames in, device frames out. Ticks: +1 per board_cycles32() call,
 *                      1000 per second, so RESULT records are held for 100 ticks in live streams.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../src/app/app_pipeline.h"
#include "../src/app/device_shell.h"
#include "../src/crypto/ed25519_verify.h"
#include "../src/crypto/sha256.h"
#include "../src/protocol/crc32.h"
#include "../src/protocol/frame.h"
#include "../src/protocol/result_batch.h"

#define HOST_INPUT_MAX (8u * 1024u * 1024u)
static uint8_t input[HOST_INPUT_MAX];
static uint8_t wire[PROTO_MAX_WIRE];

static uint32_t fake_ticks;
uint32_t board_cycles32(void) { return fake_ticks++; }

static void shell_write(const uint8_t *data, size_t n) { fwrite(data, 1, n, stdout); }
static void shell_reset(void) {
  fflush(stdout);
  exit(0);
}
static const device_shell_port_t HOST_PORT = {
    .board_name = "host-check",
    .board_id = 0x7E00FFFFu,
    .tick_hz = 1000u,
    .fw_version = 0x0101u,
    .capabilities = DEVICE_SHELL_CAP_FEATURES,
    .write = shell_write,
    .reset = shell_reset,
};

static uint16_t batch_seq;
static void write_batch_frame(const uint8_t *body, uint16_t len, void *ctx) {
  (void)ctx;
  size_t w = frame_encode(MSG_RESULT, 0, batch_seq++, body, len, wire);
  fwrite(wire, 1, w, stdout);
}

static int run_batch_script(const uint8_t *in, size_t n) {
  static result_batch_t b;
  if (n < 5) return 2;
  uint8_t nc = in[0];
  if (nc > RESULT_MAX_CLASSES) return 2;
  result_batch_init(&b, nc, get_u32le(&in[1]), write_batch_frame, 0);
  size_t i = 5;
  while (i < n) {
    uint8_t op = in[i++];
    if (op == 'A' && i + 4u + RESULT_RECORD_FIXED_BYTES + nc <= n) {
      result_record_t r;
      uint32_t now = get_u32le(&in[i]);
      const uint8_t *p = &in[i + 4];
      r.window = get_u32le(&p[0]);
      r.frontend_ticks = get_u32le(&p[4]);
      r.model_ticks = get_u32le(&p[8]);
      r.top = p[12];
      for (uint8_t c = 0; c < nc; c++) r.scores[c] = (int8_t)p[RESULT_RECORD_FIXED_BYTES + c];
      result_batch_add(&b, &r, now);
      i += 4u + RESULT_RECORD_FIXED_BYTES + nc;
    } else if (op == 'P' && i + 4u <= n) {
      result_batch_poll(&b, get_u32le(&in[i]));
      i += 4u;
    } else if (op == 'F') {
      result_batch_flush(&b);
    } else if (op == 'B' && i < n) {
      b.bulk = in[i++] != 0;
    } else {
      return 2;
    }
  }
  return 0;
}

static size_t read_all(void) {
  size_t n = fread(input, 1, sizeof input, stdin);
  return n;
}

static void print_result(const pipeline_result_t *r, void *ctx) {
  (void)ctx;
  const pipeline_info_t *p = pipeline_info();
  printf("%u %u", (unsigned)r->window, (unsigned)r->top);
  for (uint32_t c = 0; c < p->num_classes; c++) printf(" %d", r->scores[c]);
  printf(" |");
  for (uint32_t i = 0; i < p->num_features; i++) printf(" %d", r->features[i]);
  printf("\n");
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  size_t n = read_all();
  if (!strcmp(argv[1], "decode")) {
    static frame_decoder_t d;
    frame_decoder_init(&d);
    for (size_t i = 0; i < n; i++) {
      frame_t f;
      if (frame_decoder_push(&d, input[i], &f))
        printf("%u %u %u %u %08x\n", f.type, f.flags, f.seq, f.len, (unsigned)crc32_ieee(f.body, f.len));
    }
    printf("bad %u ok %u\n", (unsigned)d.frames_bad, (unsigned)d.frames_ok);
  } else if (!strcmp(argv[1], "encode")) {
    size_t i = 0;
    while (i + 6 <= n) {
      uint16_t len = get_u16le(&input[i + 4]);
      size_t w = frame_encode(input[i], input[i + 1], get_u16le(&input[i + 2]), &input[i + 6], len, wire);
      fwrite(wire, 1, w, stdout);
      i += 6u + len;
    }
  } else if (!strcmp(argv[1], "sha256")) {
    for (int a = 2; a < argc; a++) {
      size_t len = (size_t)strtoul(argv[a], 0, 10);
      uint8_t dg[SHA256_DIGEST_BYTES];
      sha256(input, len < n ? len : n, dg);
      for (uint32_t k = 0; k < SHA256_DIGEST_BYTES; k++) printf("%02x", dg[k]);
      printf("\n");
    }
  } else if (!strcmp(argv[1], "ed25519")) {
    if (n < 96) return 2;
    printf("%d\n", ed25519_verify(&input[32], &input[96], n - 96, input));
  } else if (!strcmp(argv[1], "shell")) {
    device_shell_init(&HOST_PORT);
    for (size_t i = 0; i < n; i++) device_shell_rx(input[i]);
  } else if (!strcmp(argv[1], "batch")) {
    return run_batch_script(input, n);
  } else if (!strcmp(argv[1], "crc32")) {
    printf("%08x\n", (unsigned)crc32_ieee(input, n));
  } else if (!strcmp(argv[1], "pipeline")) {
    uint32_t offset = argc > 2 ? (uint32_t)strtoul(argv[2], 0, 10) : 0;
    static int16_t pcm[HOST_INPUT_MAX / 2u];
    for (size_t i = 0; i + 1 < n; i += 2) pcm[i / 2] = (int16_t)get_u16le(&input[i]);
    pipeline_init(print_result, 0);
    pipeline_reset(offset);
    /* Odd chunk sizes on purpose: windowing must not depend on how audio arrives. */
    size_t total = n / 2, at = 0, step = 37;
    while (at < total) {
      size_t k = total - at < step ? total - at : step;
      pipeline_push_audio(&pcm[at], (uint32_t)k);
      at += k;
      step = step * 7 % 509 + 1;
    }
  } else {
    return 2;
  }
  return 0;
}
