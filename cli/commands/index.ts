/**
 * Every verb lives in its own file and exports `register(program)`. Add one import and one entry
 * here per verb.
 */
import type { Command } from 'commander';
import { register as compile } from './compile.js';
import { register as run } from './run.js';
import { register as diff } from './diff.js';
import { register as features } from './features.js';
import { register as data } from './data.js';
import { register as train } from './train.js';
import { register as distill } from './distill.js';
import { register as devices } from './devices.js';
import { register as emulate } from './emulate.js';
import { register as firmware } from './firmware.js';
import { register as flash } from './flash.js';
import { register as monitor } from './monitor.js';
import { register as frontendC } from './frontend-c.js';
import { register as hil } from './hil.js';
import { register as demo } from './demo.js';
import { register as codegen } from './codegen.js';
import { register as template } from './template.js';

export type Register = (program: Command) => void;

export const verbs: Register[] = [
  compile,
  run,
  diff,
  features,
  data,
  train,
  distill,
  devices,
  emulate,
  firmware,
  flash,
  monitor,
  frontendC,
  hil,
  demo,
  codegen,
  template,
];
