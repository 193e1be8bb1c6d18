// The remote engine's front door for hosts (issue 13): the conductor's runner and the patch
// application; the worker and the set-up are loaded by `dwf worker` / `dwf engine init` directly.
export { RemoteRunner, EngineError, type RemoteRunnerOptions } from './conductor';
export { gitApplyPatch } from './applyPatch';
export { engineUrlFrom, maskEngineUrl, maskedUrl, ENGINE_ENV } from './engineUrl';
