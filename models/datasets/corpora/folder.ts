/**
 * Generic folder-per-label layout: <root>/<label>/[<speaker>/]file.wav or
 * <root>/<speaker>/<label>/file.wav. The label level is the directory depth at which most files
 * sit under a recognisable emotion name; the other directory level, if any, is the speaker. Without
 * a speaker level the caller may pass a `speakerPattern` (one capture group, applied to the file
 * name); otherwise the speaker is "unknown" and speaker-independent splits will refuse the data.
 */
import path from 'node:path';
import { canonicalEmotionFromFolderName } from '../labels.js';
import type { SerItem, SkippedFile } from '../types.js';

export interface FolderLayoutResult {
  items: SerItem[];
  skipped: SkippedFile[];
  /** directory depth (0 = directly under root) holding the label */
  labelDepth: number;
  /** fraction of files whose label folder was recognised */
  matchRate: number;
}

export function parseFolderLayout(root: string, files: readonly string[], speakerPattern?: RegExp): FolderLayoutResult {
  const dirsOf = (f: string): string[] => path.relative(root, f).split(path.sep).slice(0, -1);
  const hits = [0, 0];
  for (const f of files) {
    const dirs = dirsOf(f);
    for (let d = 0; d < 2; d++) if (dirs[d] !== undefined && canonicalEmotionFromFolderName(dirs[d]) !== null) hits[d]++;
  }
  const labelDepth = hits[1] > hits[0] ? 1 : 0;
  const items: SerItem[] = [];
  const skipped: SkippedFile[] = [];
  for (const f of files) {
    const dirs = dirsOf(f);
    const raw = dirs[labelDepth];
    if (raw === undefined) {
      skipped.push({ path: f, reason: `not inside a label folder (expected <root>/${labelDepth === 1 ? '<speaker>/' : ''}<label>/...)` });
      continue;
    }
    const label = canonicalEmotionFromFolderName(raw);
    if (!label) {
      skipped.push({ path: f, reason: `unknown label folder "${raw}"` });
      continue;
    }
    let speaker: string | undefined = labelDepth === 1 ? dirs[0] : dirs[1];
    if (speaker === undefined && speakerPattern) speaker = speakerPattern.exec(path.basename(f))?.[1];
    items.push({ path: f, label, rawLabel: raw, speaker: `folder:${speaker ?? 'unknown'}`, corpus: 'folder' });
  }
  return { items, skipped, labelDepth, matchRate: files.length > 0 ? items.length / files.length : 0 };
}
