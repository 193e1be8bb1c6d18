// The guest preludes' source text. They are real JavaScript files (guest/*.guest.js), type-checked
// on their own with // @ts-check (guest/tsconfig.json, part of `npm run typecheck`) and loaded as
// text by esbuild in both builds (esbuild.mjs). What they share with the worker is guestWire.ts.
import MAIN_PRELUDE from './guest/prelude.guest.js';
import INTL_PRELUDE_SOURCE from './guest/intl.guest.js';

export { PRELUDE_FILE, type PreludeConfig } from './guestWire';

/** Evaluates to `function (host, config: PreludeConfig): PreludeApi` (the workflow globals). */
export const PRELUDE: string = MAIN_PRELUDE;
/** Evaluates to `function (intl, config: IntlPreludeConfig)` (Intl and the locale-aware built-ins). */
export const INTL_PRELUDE: string = INTL_PRELUDE_SOURCE;
