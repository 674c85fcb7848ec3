import { Command, CommanderError } from 'commander';
import { verbs } from './commands/index.js';

const program = new Command();
program
  .name('tinyser')
  .description('Speech emotion recognition from the lab to microcontrollers')
  .version('0.1.0')
  .option('--json', 'print one machine-readable JSON document instead of text')
  .showHelpAfterError()
  .exitOverride();

for (const register of verbs) register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // help and version are not errors; everything else commander rejects is a usage error (exit 2)
    process.exitCode = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0 ? 0 : 2;
  } else {
    throw e;
  }
}
