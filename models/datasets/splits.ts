/**
 * Speaker-independent splits. SER accuracy measured on speakers seen in training is mostly speaker
 * identification, so every split here keeps each speaker on one side. A random file split exists
 * only as `randomFileSplit`, named for what it is.
 */
import { UsageError } from '../../common/errors.js';
import { Prng, type Seed } from '../augment/prng.js';

export interface HasSpeaker {
  speaker: string;
}

export interface DataSplit<T> {
  train: T[];
  val: T[];
  test: T[];
}

function speakerMatcher(list: readonly string[]): (speaker: string) => boolean {
  const set = new Set(list);
  // accept ids with or without the corpus prefix ("07" matches "ravdess:07")
  return (s) => set.has(s) || set.has(s.slice(s.indexOf(':') + 1));
}

/** Split by explicit speaker lists; items of unlisted speakers are returned in `unassigned`. */
export function splitBySpeakers<T extends HasSpeaker>(
  items: readonly T[],
  lists: { train: readonly string[]; val: readonly string[]; test?: readonly string[] },
): DataSplit<T> & { unassigned: T[] } {
  const inTrain = speakerMatcher(lists.train);
  const inVal = speakerMatcher(lists.val);
  const inTest = speakerMatcher(lists.test ?? []);
  const out = { train: [] as T[], val: [] as T[], test: [] as T[], unassigned: [] as T[] };
  for (const it of items) {
    const where = [inTrain(it.speaker) && 'train', inVal(it.speaker) && 'val', inTest(it.speaker) && 'test'].filter(Boolean);
    if (where.length > 1) throw new UsageError(`speaker ${it.speaker} is listed in both ${where.join(' and ')}`, { speaker: it.speaker });
    const key = (where[0] || 'unassigned') as keyof typeof out;
    out[key].push(it);
  }
  return out;
}

/** Speakers and their item counts, sorted by id. */
export function speakerCounts(items: readonly HasSpeaker[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const it of items) m.set(it.speaker, (m.get(it.speaker) ?? 0) + 1);
  return new Map([...m.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

function requireKnownSpeakers(items: readonly HasSpeaker[], needed: number, what: string): string[] {
  const speakers = [...speakerCounts(items).keys()];
  if (speakers.some((s) => s.endsWith(':unknown'))) {
    throw new UsageError(
      `${what}: some items have no speaker id (folder layout without speaker folders); add <label>/<speaker>/ folders or a speakerPattern, or use randomFileSplit explicitly`,
    );
  }
  if (speakers.length < needed) throw new UsageError(`${what} needs at least ${needed} speakers, the data has ${speakers.length}`);
  return speakers;
}

/**
 * k folds by speaker: speakers (in seeded random order, larger first) go to the fold with the
 * fewest items so folds stay balanced; fold i validates on its speakers and trains on the rest.
 */
export function speakerKFold<T extends HasSpeaker>(items: readonly T[], k: number, { seed = 0 }: { seed?: Seed } = {}): {
  fold: number;
  valSpeakers: string[];
  train: T[];
  val: T[];
}[] {
  if (!Number.isInteger(k) || k < 2) throw new UsageError(`k-fold needs k >= 2, got ${k}`);
  requireKnownSpeakers(items, k, `${k}-fold speaker split`);
  const counts = speakerCounts(items);
  const order = new Prng(seed).shuffle([...counts.keys()]).sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0));
  const foldOf = new Map<string, number>();
  const load = new Array<number>(k).fill(0);
  const speakersIn: string[][] = Array.from({ length: k }, () => []);
  for (const s of order) {
    let f = 0;
    for (let i = 1; i < k; i++) if (load[i] < load[f] || (load[i] === load[f] && speakersIn[i].length < speakersIn[f].length)) f = i;
    foldOf.set(s, f);
    load[f] += counts.get(s) ?? 0;
    speakersIn[f].push(s);
  }
  return speakersIn.map((valSpeakers, fold) => ({
    fold,
    valSpeakers: valSpeakers.slice().sort(),
    train: items.filter((it) => foldOf.get(it.speaker) !== fold),
    val: items.filter((it) => foldOf.get(it.speaker) === fold),
  }));
}

/**
 * Holds out whole speakers: about `valFraction` (and `testFraction`) of the items, chosen by
 * seeded speaker order. At least one speaker goes to each non-empty side.
 */
export function holdOutSpeakers<T extends HasSpeaker>(
  items: readonly T[],
  { valFraction = 0.2, testFraction = 0, seed = 0 }: { valFraction?: number; testFraction?: number; seed?: Seed } = {},
): DataSplit<T> & { valSpeakers: string[]; testSpeakers: string[] } {
  const sides = 1 + (valFraction > 0 ? 1 : 0) + (testFraction > 0 ? 1 : 0);
  requireKnownSpeakers(items, sides, 'speaker hold-out split');
  const counts = speakerCounts(items);
  const order = new Prng(seed).shuffle([...counts.keys()]);
  const total = items.length;
  const take = (fraction: number, pool: string[]): string[] => {
    const chosen: string[] = [];
    let n = 0;
    while (fraction > 0 && pool.length > 1 && (chosen.length === 0 || n + (counts.get(pool[0]) ?? 0) / 2 <= fraction * total)) {
      const s = pool.shift() as string;
      chosen.push(s);
      n += counts.get(s) ?? 0;
    }
    return chosen;
  };
  const testSpeakers = take(testFraction, order);
  const valSpeakers = take(valFraction, order);
  const split = splitBySpeakers(items, { train: order, val: valSpeakers, test: testSpeakers });
  return { train: split.train, val: split.val, test: split.test, valSpeakers: valSpeakers.sort(), testSpeakers: testSpeakers.sort() };
}

/**
 * Random split by FILE: the same speaker lands on both sides, which inflates accuracy. Exists for
 * comparison with papers that did this; never a default.
 */
export function randomFileSplit<T>(items: readonly T[], { valFraction = 0.2, seed = 0 }: { valFraction?: number; seed?: Seed } = {}): DataSplit<T> {
  const shuffled = new Prng(seed).shuffle(items);
  const nVal = Math.round(shuffled.length * valFraction);
  return { train: shuffled.slice(nVal), val: shuffled.slice(0, nVal), test: [] };
}
