// The boundary of the lazily loaded remote layer (remoteLayer.ts), like loadAgentLayer.ts: bundled,
// remoteLayer.js sits next to extension.js in dist/; unbundled (tests), next to this file in out/.
import * as path from 'node:path';
import type * as RemoteLayer from './remoteLayer';

export type RemoteLayerModule = typeof RemoteLayer;

let loaded: RemoteLayerModule | undefined;

export function loadRemoteLayer(): RemoteLayerModule {
  // A computed path, so esbuild leaves this require alone instead of inlining the module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second bundle, loaded on the first remote run
  loaded ??= require(path.join(__dirname, 'remoteLayer.js')) as RemoteLayerModule;
  return loaded;
}
