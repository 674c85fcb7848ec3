/**
 * Cuts a batch synthesis (utterances separated by long SSML breaks) back into utterances: runs of
 * near-digital silence at least `minGapSec` long separate them. eSpeak renders breaks as exact
 * zeros, and the sentences contain no commas, so in-sentence pauses stay far below the gap.
 */
export function splitOnSilence(
  x: Int16Array,
  sampleRate: number,
  { minGapSec = 0.6, threshold = 8, padSec = 0.05 }: { minGapSec?: number; threshold?: number; padSec?: number } = {},
): Int16Array[] {
  const minGap = Math.round(minGapSec * sampleRate);
  const pad = Math.round(padSec * sampleRate);
  const segments: Int16Array[] = [];
  let start = -1; // first loud sample of the current segment
  let lastLoud = -1;
  for (let i = 0; i <= x.length; i++) {
    const loud = i < x.length && Math.abs(x[i]) > threshold;
    if (loud) {
      if (start < 0) start = i;
      lastLoud = i;
    } else if (start >= 0 && (i === x.length || i - lastLoud >= minGap)) {
      segments.push(x.slice(Math.max(0, start - pad), Math.min(x.length, lastLoud + 1 + pad)));
      start = -1;
    }
  }
  return segments;
}
