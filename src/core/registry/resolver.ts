// workflow(nameOrRef) for real hosts (spec §3.8): names resolve through the saved-workflow
// registry, {scriptPath} relative to the calling script's folder. Errors are the ones scripts see.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverWorkflows } from './discover';
import type { RegistryOptions } from './types';
import { MESSAGES } from '../errors';
import { MAX_SCRIPT_BYTES } from '../script';
import type { WorkflowResolver } from '../run/run';

export function registryResolver(options: RegistryOptions): WorkflowResolver {
  return async (ref, fromFile) => {
    if ('name' in ref) {
      const { workflows } = await discoverWorkflows(options);
      const found = workflows.find((w) => w.name === ref.name);
      if (!found) throw new Error(MESSAGES.workflowNotFound(ref.name, workflows.map((w) => w.name)));
      return { source: await fs.promises.readFile(found.path, 'utf8'), file: found.path };
    }
    const base = path.isAbsolute(fromFile) ? path.dirname(fromFile) : options.cwd;
    const file = path.resolve(base, ref.scriptPath);
    let stat: fs.Stats;
    try {
      stat = await fs.promises.stat(file);
    } catch {
      throw new Error(`Workflow script file not found: ${file}`);
    }
    if (!stat.isFile()) throw new Error(`Workflow script file ${file} is not a regular file`);
    if (stat.size > MAX_SCRIPT_BYTES) throw new Error(`Workflow script file ${file} exceeds ${MAX_SCRIPT_BYTES} bytes`);
    return { source: await fs.promises.readFile(file, 'utf8'), file };
  };
}
