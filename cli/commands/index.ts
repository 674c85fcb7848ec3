/**
 * Every verb lives in its own file and exports `register(program)`. Add one import and one entry
 * here per verb.
 */
import type { Command } from 'commander';

export type Register = (program: Command) => void;

export const verbs: Register[] = [];
