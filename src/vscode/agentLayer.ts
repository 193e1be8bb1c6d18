// The agent layer as the editor uses it, built as a bundle of its own (dist/agentLayer.js) and
// loaded on the first run (loadAgentLayer.ts): the Anthropic SDK, the tools (turndown, tinyglobby),
// the Bash parser behind the permission gates and agent definitions (yaml) cost more than the rest
// of the extension together, and activation must not pay for them. Only what runController (the
// shared assembly of src/host) and workspaceSteering build runs from; nothing here may hold state the
// extension bundle also reads (each bundle has its own copy of a module both import).
export { assembleAgentRunner, SettingsRefusal } from '../host/agentAssembly';
export { loadPermissionRules } from '../agent/permissions';
export { ripgrepInVsCode, useBundledRipgrep } from '../agent/tools/ripgrep';
