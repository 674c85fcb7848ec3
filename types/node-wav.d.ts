declare module 'node-wav' {
  export interface DecodedWav {
    sampleRate: number;
    channelData: Float32Array[];
  }
  export function decode(buffer: Buffer | Uint8Array): DecodedWav;
  export function encode(
    channelData: Float32Array[] | number[][],
    opts: { sampleRate: number; float?: boolean; bitDepth?: number },
  ): Buffer;
  const wav: { decode: typeof decode; encode: typeof encode };
  export default wav;
}
