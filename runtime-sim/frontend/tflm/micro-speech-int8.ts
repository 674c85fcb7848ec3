/**
 * The old micro_speech example's GenerateMicroFeatures() conversion of uint16 frontend features
 * to the int8 model input: int8 = clamp((f * 256 + 333) / 666 - 128, -128, 127), C integer
 * division (truncation; the dividend is never negative). 666 = (int)(25.6f * 26.0f + 0.5f) maps
 * the log-scale range 0..670 onto 0..255 with rounding.
 */
const VALUE_SCALE = 256;
const VALUE_DIV = 666; // (int)(25.6f * 26.0f + 0.5f)

export function tflmToMicroSpeechInt8(features: Uint16Array): Int8Array {
  const out = new Int8Array(features.length);
  for (let i = 0; i < features.length; ++i) {
    const v = Math.trunc((features[i] * VALUE_SCALE + VALUE_DIV / 2) / VALUE_DIV) - 128;
    out[i] = v < -128 ? -128 : v > 127 ? 127 : v;
  }
  return out;
}
