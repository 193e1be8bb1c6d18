// The second host session of `npm run test:host`: a folder with no workflow folders
// (test/hostLazy/workspace), where the extension must stay inactive until a command needs it.
import { recordActivationAtStart } from '../host/activationState';
import { runSuite } from '../host/index';

export function run(): Promise<void> {
  recordActivationAtStart();
  return runSuite(__dirname);
}
