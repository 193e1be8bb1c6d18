// VS Code's own split of an extension's activation (what "Developer: Show Running Extensions"
// shows): code loading (requiring the main module) and the activate() call. ext.activate() also
// waits for work that is VS Code's, not the extension's: the extension context (globalState and
// workspaceState come from the workbench's storage, a round trip to a workbench that is still
// starting), so its wall time is reported next to these, not instead of them.
import Module = require('node:module');
import { performance } from 'node:perf_hooks';

export interface ActivationTimes {
  /** Wall time of requiring the main module: reading, compiling and running the bundle's top level. */
  codeLoadingMs: number;
  /** Wall time of the activate() call until its result settled. */
  activateCallMs: number;
}

type Load = (request: string, parent: unknown, isMain: boolean) => unknown;
interface ModuleInternals {
  _load: Load;
  _resolveFilename(request: string, parent: unknown, isMain: boolean): string;
}

/**
 * Times the next load of `mainFile` and the activate() call on what it exported, until the returned
 * function is called (it restores the loader and gives the times, undefined when either was missed).
 */
export function watchActivation(mainFile: string): () => ActivationTimes | undefined {
  const internals = Module as unknown as ModuleInternals;
  const load = internals._load;
  let codeLoadingMs: number | undefined;
  let activateCallMs: number | undefined;
  internals._load = function (this: unknown, request, parent, isMain) {
    let file: string | undefined;
    try {
      file = internals._resolveFilename(request, parent, isMain);
    } catch {
      // not ours to time: let the real loader report it
    }
    if (file !== mainFile || codeLoadingMs !== undefined) return load.call(this, request, parent, isMain);
    const t = performance.now();
    const exports = load.call(this, request, parent, isMain) as Record<string, unknown>;
    codeLoadingMs = performance.now() - t;
    // The bundle's exports are getters that cannot be redefined: hand VS Code a view whose activate
    // is timed.
    return new Proxy(exports, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (key !== 'activate' || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const start = performance.now();
          const result: unknown = value(...args);
          void Promise.resolve(result).finally(() => (activateCallMs = performance.now() - start));
          return result;
        };
      },
    });
  };
  return () => {
    internals._load = load;
    return codeLoadingMs === undefined || activateCallMs === undefined ? undefined : { codeLoadingMs, activateCallMs };
  };
}
