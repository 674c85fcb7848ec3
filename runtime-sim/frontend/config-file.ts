/** Loading a frontend config JSON file (the `--config` option), with CONFIG errors naming the file. */
import { readFile } from 'node:fs/promises';
import { FrontendConfigError, parseFrontendConfig, type FrontendConfig } from './config.js';

/** Reads `path` (or starts from {} when absent), applies shallow `overrides`, validates, fills defaults. */
export async function loadFrontendConfig(path?: string, overrides: Record<string, unknown> = {}): Promise<FrontendConfig> {
  let raw: unknown = {};
  if (path) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      throw new FrontendConfigError(`${path}: cannot read frontend config: ${(e as Error).message}`, { file: path });
    }
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new FrontendConfigError(`${path}: frontend config is not valid JSON: ${(e as Error).message}`, { file: path });
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      throw new FrontendConfigError(`${path}: frontend config must be a JSON object`, { file: path });
  }
  const merged = { ...(raw as Record<string, unknown>) };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) merged[k] = v;
  return parseFrontendConfig(merged, path ?? 'frontend config');
}
