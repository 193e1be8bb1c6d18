// Public surface of core/script: parsing, meta reading and the compiled-wrapper constants.
export { parseWorkflowScript, MAX_SCRIPT_BYTES, type ParsedScript, type ParseOptions } from './parse';
export { readMeta } from './readMeta';
export { readsArgs } from './readsArgs';
export { WRAP_PREFIX, WRAP_SUFFIX } from './transform';
export { codeFrame } from './codeFrame';
export { positionAt, LineIndex } from './positions';
