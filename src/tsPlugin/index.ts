// The plugin package's entry (bundled to ts-plugin/index.js): tsserver requires a module whose
// export is the factory itself.
import { init } from './plugin';

export = init;
