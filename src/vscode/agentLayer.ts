// The agent layer as the editor uses it, built as a bundle of its own (dist/agentLayer.js) and
// loaded on the first run (loadAgentLayer.ts): the Anthropic SDK, the tools (turndown, tinyglobby),
// the Bash parser behind the permission gates and agent definitions (yaml) cost more than the rest
// of the extension together, and activation must not pay for them. Only what runController,
// commandGate and workspaceSteering build runs from; nothing here may hold state the
// extension bundle also reads (each bundle has its own copy of a module both import).
export { AnthropicRunner } from '../agent/runner';
export { loadUserSandboxSettings } from '../agent/sandbox/settings';
export { AccessGate, ApprovedWrites, PermissionGate, commandGateFor, loadPermissionRules, pathGuardFor, persistAllowRules } from '../agent/permissions';
export { FsWorkspace } from '../agent/fsWorkspace';
export { ripgrepInVsCode, useBundledRipgrep } from '../agent/tools/ripgrep';
