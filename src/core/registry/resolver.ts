// workflow(nameOrRef) for real hosts (spec §3.8): names resolve through the saved-workflow
// registry, {scriptPath} relative to the calling script's folder. Errors are the ones scripts see;
// a path outside the workspace and the saved-workflow folders is refused before it is opened.
import * as path from 'node:path';
import { discoverWorkflows, savedScriptRoots, workflowSources } from './discover';
import { workspaceRootsOf } from './paths';
import { readScriptFile } from './scriptFile';
import type { RegistryOptions } from './types';
import { MESSAGES } from '../errors';
import { MAX_SCRIPT_BYTES } from '../script';
import type { WorkflowResolver } from '../run/run';

/** Where workflow({scriptPath}) may read: the workspace and every saved-workflow folder. */
export function allowedScriptRoots(options: RegistryOptions): string[] {
  return [...workspaceRootsOf(options), ...workflowSources(options).map((s) => s.dir)];
}

export function registryResolver(options: RegistryOptions): WorkflowResolver {
  const roots = allowedScriptRoots(options);
  return async (ref, fromFile) => {
    if ('name' in ref) {
      const { workflows } = await discoverWorkflows(options);
      const found = workflows.find((w) => w.name === ref.name);
      if (!found)
        throw new Error(
          MESSAGES.workflowNotFound(
            ref.name,
            workflows.map((w) => w.name),
          ),
        );
      const source = workflowSources(options).find(
        (s) => s.origin === found.origin && path.dirname(found.path) === s.dir,
      );
      const allowed = source ? savedScriptRoots(source, options) : roots;
      return { source: await readScriptFile(found.path, allowed, MAX_SCRIPT_BYTES), file: found.path };
    }
    const base = path.isAbsolute(fromFile) ? path.dirname(fromFile) : options.cwd;
    const file = path.resolve(base, ref.scriptPath);
    return { source: await readScriptFile(file, roots, MAX_SCRIPT_BYTES), file };
  };
}
