// The agent types a run can name and the model each names (built-ins, plugins, personal and project
// `.claude/agents`, the definitions a run would load): one source for the editor's live checks
// (which names exist) and for plans (`agent({agentType: 'Explore'})` priced at the model it runs
// on). Read on the first question: only scripts naming an agentType pay for the files and YAML.
import { loadAgentDefinitions } from '../agent/agentTypes';
import { discoverPlugins, findRepoRoot } from '../core/registry';

/** Each agent type a run rooted at `root` can name, with the model its definition sets. */
export function agentTypeDefinitions(
  root: string,
  personal: { configDir: string; home: string },
  pluginDirs: readonly string[] = [],
): Map<string, string | undefined> {
  const plugins = discoverPlugins({ configDir: personal.configDir, projectRoot: findRepoRoot(root), dirs: pluginDirs });
  const { agents } = loadAgentDefinitions(root, personal.home, plugins.plugins, personal.configDir);
  return new Map([...agents].map(([name, def]) => [name, def.model]));
}

/** The model of an agent type, the definitions read on the first question. */
export function agentTypeModels(
  root: string,
  personal: { configDir: string; home: string },
  pluginDirs: readonly string[] = [],
): (agentType: string) => string | undefined {
  let models: Map<string, string | undefined> | undefined;
  return (agentType) => (models ??= agentTypeDefinitions(root, personal, pluginDirs)).get(agentType);
}
