// The third host session of `npm run test:host`: remote agents against a real engine (PostgreSQL,
// `dwf worker` processes), in a folder of its own so the engine's set-up stays out of the main session.
import { runSuite } from '../host/index';

export function run(): Promise<void> {
  return runSuite(__dirname);
}
