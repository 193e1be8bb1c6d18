// The manifest's entry (dist/main.js): requires the extension's bundle (dist/extension.js) through a
// V8 code cache, so activations after the first skip compiling it (src/shared/codeCache.ts), and
// passes activate and deactivate through. Nothing else lives here: it loads before everything.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { requireWithCodeCache } from './shared/codeCache';
import type * as Extension from './extension';

/** The cache is written this long after activation, so it holds what activation compiled lazily too. */
const SAVE_CACHE_AFTER_MS = 5_000;

let extension: typeof Extension | undefined;

export function activate(context: vscode.ExtensionContext): Extension.DynamicWorkflowsApi {
  const loaded = requireWithCodeCache(path.join(__dirname, 'extension.js'));
  extension = loaded.exports as typeof Extension;
  const api = extension.activate(context);
  if (loaded.cache !== 'used') {
    const timer = setTimeout(() => void loaded.save(), SAVE_CACHE_AFTER_MS);
    timer.unref();
    context.subscriptions.push({ dispose: () => clearTimeout(timer) });
  }
  return api;
}

export function deactivate(): void {
  extension?.deactivate();
}
