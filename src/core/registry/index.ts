// Public surface of core/registry: discovering, finding and saving workflows (spec §6.1–6.2).
export type { WorkflowOrigin, SavedWorkflow, RegistryOptions } from './types';
export { discoverWorkflows, findWorkflow } from './discover';
export { saveWorkflow, SaveError, type SaveErrorCode, type SaveInput } from './save';
export { slugify, projectSaveDir, findRepoRoot, defaultPersonalDir, defaultConfigDir, personalFolder } from './paths';
export { discoverPlugins, type PluginInfo, type PluginOptions } from './plugins';
export { registryResolver } from './resolver';
export { WORKFLOW_TEMPLATES, type WorkflowTemplate } from './templates';
