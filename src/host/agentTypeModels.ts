// The model each agent type names (built-ins, plugins, personal and project `.claude/agents`, the
// definitions a run would load), so a plan prices `agent({agentType: 'Explore'})` at the model it
// runs on rather than the run's default. Read on the first question: only scripts naming an
// agentType pay for the files and the YAML parser.
import { loadAgentDefinitions } from '../agent/agentTypes';
import { discoverPlugins, findRepoRoot } from '../core/registry';

export function agentTypeModels(
  root: string,
  personal: { configDir: string; home: string },
  pluginDirs: readonly string[] = [],
): (agentType: string) => string | undefined {
  let models: Map<string, string | undefined> | undefined;
  return (agentType) => {
    if (!models) {
      const plugins = discoverPlugins({
        configDir: personal.configDir,
        projectRoot: findRepoRoot(root),
        dirs: pluginDirs,
      });
      const { agents } = loadAgentDefinitions(root, personal.home, plugins.plugins, personal.configDir);
      models = new Map([...agents].map(([name, def]) => [name, def.model]));
    }
    return models.get(agentType);
  };
}
