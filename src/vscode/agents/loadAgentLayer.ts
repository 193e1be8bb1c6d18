// The boundary of the lazily loaded agent layer (agentLayer.ts): required on first use, once.
// Bundled, agentLayer.js sits next to extension.js in dist/;
// unbundled (tests), next to this file in out/ — the same relative name either way.
import * as path from 'node:path';
import type * as AgentLayer from './agentLayer';

export type AgentLayerModule = typeof AgentLayer;

let loaded: AgentLayerModule | undefined;

/** The agent layer, loaded on the first call (a few tens of ms); later calls return the same module. */
export function loadAgentLayer(): AgentLayerModule {
  if (loaded) return loaded;
  // A computed path, so esbuild leaves this require alone instead of inlining the module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second bundle, loaded on the first run
  const layer = require(path.join(__dirname, 'agentLayer.js')) as AgentLayerModule;
  loaded = layer;
  return layer;
}

/** Whether the agent layer was loaded in this extension host (tests and the activation bench). */
export function agentLayerLoaded(): boolean {
  return loaded !== undefined;
}
