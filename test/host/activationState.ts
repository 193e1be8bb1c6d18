// What the extension host had done before any test touched the extension: whether its activation
// events had activated it, and whether that loaded the agent layer (it must wait for a run).
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'dynamic-workflows.dynamic-workflows';

export interface ActivationState {
  active: boolean;
  agentLayerLoaded: boolean;
}

let atStart: ActivationState | undefined;

/** The extension's state now; the agent layer counts as loaded once its bundle is in require's cache. */
export function activationState(): ActivationState {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  const layer = path.join(ext.extensionPath, 'dist', 'agentLayer.js');
  return { active: ext.isActive, agentLayerLoaded: require.cache[layer] !== undefined };
}

/** Called by the suite's entry before mocha loads a test file. */
export function recordActivationAtStart(): void {
  atStart = activationState();
}

export function activationAtStart(): ActivationState {
  if (!atStart) throw new Error('the suite entry did not record the activation state (test/host/index.ts)');
  return atStart;
}
