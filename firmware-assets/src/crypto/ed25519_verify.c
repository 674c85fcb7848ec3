#include "ed25519_verify.h"
#include "sha512.h"

#define FE_LIMBS 16
#define FE_BYTES 32u
#define SCALAR_WORDS 9 /* 32-bit words: holds values < 2L with room for one shift */

typedef int64_t fe_t[FE_LIMBS];
typedef struct {
  fe_t x, y, z, t; /* extended coordinates: x = X/Z, y = Y/Z, x*y = T/Z */
} point_t;

/* ---- field GF(2^255 - 19) ---- */

static void fe_copy(fe_t o, const fe_t a) {
  for (int i = 0; i < FE_LIMBS; i++) o[i] = a[i];
}
static void fe_set_small(fe_t o, int64_t v) {
  for (int i = 0; i < FE_LIMBS; i++) o[i] = 0;
  o[0] = v;
}

/* Brings every limb into [0, 2^16) except for what wraps around: 2^256 = 38 mod p.
 * int64_t is two's complement by definition, so the mask and the exact division are portable. */
static void fe_carry(fe_t o) {
  for (int i = 0; i < FE_LIMBS; i++) {
    int64_t low = o[i] & 0xFFFF;
    int64_t c = (o[i] - low) / 65536;
    o[i] = low;
    if (i < FE_LIMBS - 1) o[i + 1] += c;
    else o[0] += 38 * c;
  }
}

static void fe_add(fe_t o, const fe_t a, const fe_t b) {
  for (int i = 0; i < FE_LIMBS; i++) o[i] = a[i] + b[i];
}
static void fe_sub(fe_t o, const fe_t a, const fe_t b) {
  for (int i = 0; i < FE_LIMBS; i++) o[i] = a[i] - b[i];
}

static void fe_mul(fe_t o, const fe_t a, const fe_t b) {
  int64_t t[2 * FE_LIMBS - 1];
  for (int i = 0; i < 2 * FE_LIMBS - 1; i++) t[i] = 0;
  for (int i = 0; i < FE_LIMBS; i++)
    for (int j = 0; j < FE_LIMBS; j++) t[i + j] += a[i] * b[j];
  /* limb 16+k weighs 2^256 * 2^(16k) = 38 * 2^(16k) */
  for (int i = 0; i < FE_LIMBS - 1; i++) t[i] += 38 * t[i + FE_LIMBS];
  for (int i = 0; i < FE_LIMBS; i++) o[i] = t[i];
  fe_carry(o);
  fe_carry(o);
}

static void fe_sq(fe_t o, const fe_t a) { fe_mul(o, a, a); }

/* Canonical little-endian bytes (fully reduced mod p). */
static void fe_pack(uint8_t out[FE_BYTES], const fe_t a) {
  fe_t t;
  fe_copy(t, a);
  fe_carry(t);
  fe_carry(t);
  fe_carry(t);
  /* Now 0 <= t < 2^256; subtract p at most twice, keeping the result when it does not borrow. */
  for (int pass = 0; pass < 2; pass++) {
    fe_t m;
    int64_t borrow = 0;
    for (int i = 0; i < FE_LIMBS; i++) {
      int64_t p_limb = i == 0 ? 0xFFED : (i == FE_LIMBS - 1 ? 0x7FFF : 0xFFFF);
      int64_t v = t[i] - p_limb - borrow;
      borrow = v < 0 ? 1 : 0;
      m[i] = v + borrow * 65536;
    }
    if (!borrow) fe_copy(t, m);
  }
  for (int i = 0; i < FE_LIMBS; i++) {
    out[2 * i] = (uint8_t)(t[i] & 0xFF);
    out[2 * i + 1] = (uint8_t)((t[i] >> 8) & 0xFF);
  }
}

static void fe_unpack(fe_t o, const uint8_t in[FE_BYTES]) {
  for (int i = 0; i < FE_LIMBS; i++) o[i] = (int64_t)in[2 * i] | ((int64_t)in[2 * i + 1] << 8);
  o[FE_LIMBS - 1] &= 0x7FFF;
}

static int fe_equal(const fe_t a, const fe_t b) {
  uint8_t pa[FE_BYTES], pb[FE_BYTES];
  fe_pack(pa, a);
  fe_pack(pb, b);
  uint8_t d = 0;
  for (uint32_t i = 0; i < FE_BYTES; i++) d |= (uint8_t)(pa[i] ^ pb[i]);
  return d == 0;
}

static int fe_parity(const fe_t a) {
  uint8_t p[FE_BYTES];
  fe_pack(p, a);
  return p[0] & 1;
}

/* o = a^e for e = 2^(top+1) - 1 with the bits listed in `clear` (terminated by -1) cleared. */
static void fe_pow_ones(fe_t o, const fe_t a, int top, const int *clear) {
  fe_t c;
  fe_copy(c, a);
  for (int bit = top - 1; bit >= 0; bit--) {
    fe_sq(c, c);
    int set = 1;
    for (const int *k = clear; *k >= 0; k++)
      if (*k == bit) set = 0;
    if (set) fe_mul(c, c, a);
  }
  fe_copy(o, c);
}

static void fe_invert(fe_t o, const fe_t a) {
  static const int P_MINUS_2_ZERO_BITS[] = {2, 4, -1}; /* p - 2 = 2^255 - 21 */
  fe_pow_ones(o, a, 254, P_MINUS_2_ZERO_BITS);
}

static void fe_pow_p58(fe_t o, const fe_t a) {
  static const int P58_ZERO_BITS[] = {1, -1}; /* (p - 5) / 8 = 2^252 - 3 */
  fe_pow_ones(o, a, 251, P58_ZERO_BITS);
}

/* ---- curve -x^2 + y^2 = 1 + d x^2 y^2 ---- */

static fe_t CURVE_D, CURVE_D2, SQRT_M1;
static point_t BASE;
static int curve_ready;

static void point_add(point_t *r, const point_t *p, const point_t *q) {
  fe_t a, b, c, d, e, f, g, h, t;
  fe_sub(a, p->y, p->x);
  fe_sub(t, q->y, q->x);
  fe_mul(a, a, t);
  fe_add(b, p->y, p->x);
  fe_add(t, q->y, q->x);
  fe_mul(b, b, t);
  fe_mul(c, p->t, q->t);
  fe_mul(c, c, CURVE_D2);
  fe_mul(d, p->z, q->z);
  fe_add(d, d, d);
  fe_sub(e, b, a);
  fe_sub(f, d, c);
  fe_add(g, d, c);
  fe_add(h, b, a);
  fe_mul(r->x, e, f);
  fe_mul(r->y, g, h);
  fe_mul(r->t, e, h);
  fe_mul(r->z, f, g);
}

static void point_identity(point_t *p) {
  fe_set_small(p->x, 0);
  fe_set_small(p->y, 1);
  fe_set_small(p->z, 1);
  fe_set_small(p->t, 0);
}

/* r = [s]p for a 256-bit little-endian scalar (variable time: public data only). */
static void point_scalar_mul(point_t *r, const point_t *p, const uint8_t s[32]) {
  point_t acc;
  point_identity(&acc);
  for (int bit = 255; bit >= 0; bit--) {
    point_add(&acc, &acc, &acc);
    if ((s[bit >> 3] >> (bit & 7)) & 1) point_add(&acc, &acc, p);
  }
  *r = acc;
}

static void point_pack(uint8_t out[32], const point_t *p) {
  fe_t zi, x, y;
  fe_invert(zi, p->z);
  fe_mul(x, p->x, zi);
  fe_mul(y, p->y, zi);
  fe_pack(out, y);
  out[31] ^= (uint8_t)(fe_parity(x) << 7);
}

/* Decodes a point (y with the sign of x in bit 255). Returns 0 if it is not on the curve. */
static int point_unpack(point_t *r, const uint8_t in[32]) {
  fe_t u, v, v3, x, chk, t;
  fe_unpack(r->y, in);
  fe_set_small(r->z, 1);
  fe_sq(u, r->y);
  fe_mul(v, u, CURVE_D);
  fe_sub(u, u, r->z); /* u = y^2 - 1 */
  fe_add(v, v, r->z); /* v = d y^2 + 1 */
  /* x = u v^3 (u v^7)^((p-5)/8) */
  fe_sq(v3, v);
  fe_mul(v3, v3, v);
  fe_sq(t, v3);
  fe_mul(t, t, v);
  fe_mul(t, t, u);
  fe_pow_p58(t, t);
  fe_mul(t, t, v3);
  fe_mul(x, t, u);
  fe_sq(chk, x);
  fe_mul(chk, chk, v);
  if (!fe_equal(chk, u)) {
    fe_t neg_u, zero;
    fe_set_small(zero, 0);
    fe_sub(neg_u, zero, u);
    if (!fe_equal(chk, neg_u)) return 0;
    fe_mul(x, x, SQRT_M1);
  }
  int sign = in[31] >> 7;
  fe_t zero;
  fe_set_small(zero, 0);
  if (sign && fe_equal(x, zero)) return 0;
  if (fe_parity(x) != sign) fe_sub(x, zero, x);
  fe_copy(r->x, x);
  fe_mul(r->t, r->x, r->y);
  return 1;
}

static void curve_init(void) {
  if (curve_ready) return;
  fe_t n, dd;
  /* d = -121665 / 121666 */
  fe_set_small(n, 121666);
  fe_invert(dd, n);
  fe_set_small(n, -121665);
  fe_mul(CURVE_D, n, dd);
  fe_add(CURVE_D2, CURVE_D, CURVE_D);
  /* sqrt(-1) = 2^((p-1)/4), (p-1)/4 = 2^253 - 5 */
  static const int P14_ZERO_BITS[] = {2, -1};
  fe_set_small(n, 2);
  fe_pow_ones(SQRT_M1, n, 252, P14_ZERO_BITS);
  /* Base point: y = 4/5, x even. */
  uint8_t enc[32];
  fe_t four, five;
  fe_set_small(four, 4);
  fe_set_small(five, 5);
  fe_invert(five, five);
  fe_mul(four, four, five);
  fe_pack(enc, four);
  point_unpack(&BASE, enc);
  curve_ready = 1;
}

/* ---- scalars mod L = 2^252 + 27742317777372353535851937790883648493 ---- */

static const uint32_t GROUP_ORDER[SCALAR_WORDS] = {0x5CF5D3EDu, 0x5812631Au, 0xA2F79CD6u, 0x14DEF9DEu, 0, 0, 0, 0x10000000u, 0};

static int scalar_geq_order(const uint32_t r[SCALAR_WORDS]) {
  for (int i = SCALAR_WORDS - 1; i >= 0; i--) {
    if (r[i] != GROUP_ORDER[i]) return r[i] > GROUP_ORDER[i];
  }
  return 1;
}

static void scalar_sub_order(uint32_t r[SCALAR_WORDS]) {
  uint64_t borrow = 0;
  for (int i = 0; i < SCALAR_WORDS; i++) {
    uint64_t v = (uint64_t)r[i] - GROUP_ORDER[i] - borrow;
    r[i] = (uint32_t)v;
    borrow = (v >> 32) & 1u;
  }
}

/* Reduces a little-endian number of n bytes mod L, one bit at a time (slow but obviously right). */
static void scalar_reduce(uint8_t out[32], const uint8_t *in, uint32_t n) {
  uint32_t r[SCALAR_WORDS] = {0};
  for (int bit = (int)(8 * n) - 1; bit >= 0; bit--) {
    uint32_t carry = (in[bit >> 3] >> (bit & 7)) & 1u;
    for (int i = 0; i < SCALAR_WORDS; i++) {
      uint32_t next = r[i] >> 31;
      r[i] = (r[i] << 1) | carry;
      carry = next;
    }
    if (scalar_geq_order(r)) scalar_sub_order(r);
  }
  for (int i = 0; i < 8; i++)
    for (int k = 0; k < 4; k++) out[4 * i + k] = (uint8_t)(r[i] >> (8 * k));
}

int ed25519_verify(const uint8_t sig[ED25519_SIGNATURE_BYTES], const uint8_t *msg, size_t msg_len,
                   const uint8_t public_key[ED25519_PUBLIC_KEY_BYTES]) {
  curve_init();
  /* S must be canonical (< L), or signatures become malleable. */
  uint32_t s_words[SCALAR_WORDS] = {0};
  for (int i = 0; i < 8; i++)
    for (int k = 0; k < 4; k++) s_words[i] |= (uint32_t)sig[32 + 4 * i + k] << (8 * k);
  if (scalar_geq_order(s_words)) return 0;
  point_t a;
  if (!point_unpack(&a, public_key)) return 0;
  fe_t zero;
  fe_set_small(zero, 0);
  fe_sub(a.x, zero, a.x); /* -A */
  fe_sub(a.t, zero, a.t);
  sha512_ctx_t h;
  uint8_t digest[SHA512_DIGEST_BYTES], k[32];
  sha512_init(&h);
  sha512_update(&h, sig, 32);
  sha512_update(&h, public_key, ED25519_PUBLIC_KEY_BYTES);
  sha512_update(&h, msg, msg_len);
  sha512_final(&h, digest);
  scalar_reduce(k, digest, SHA512_DIGEST_BYTES);
  point_t sb, ka, sum;
  point_scalar_mul(&sb, &BASE, &sig[32]);
  point_scalar_mul(&ka, &a, k);
  point_add(&sum, &sb, &ka);
  uint8_t check[32];
  point_pack(check, &sum);
  uint8_t d = 0;
  for (uint32_t i = 0; i < 32; i++) d |= (uint8_t)(check[i] ^ sig[i]);
  return d == 0;
}
