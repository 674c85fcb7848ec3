/** Boards tinyser knows: id in image headers/INFO, exec address images are linked for. */
export interface BoardSpec {
  name: string;
  id: number;
  execAddr: number;
  maxPayloadBytes: number;
}

export const BOARDS: Record<string, BoardSpec> = {
  'mps2-an386': { name: 'mps2-an386', id: 0xa386, execAddr: 0x00010000, maxPayloadBytes: 0x00100000 - 128 },
};

export function boardById(id: number): BoardSpec | undefined {
  return Object.values(BOARDS).find((b) => b.id === id);
}
