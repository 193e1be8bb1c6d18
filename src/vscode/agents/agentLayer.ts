// What the editor's main thread uses of the agent layer, built as a bundle of its own
// (dist/agentLayer.js) and loaded on first use (loadAgentLayer.ts): the permission rules behind
// workspaceSteering (the Bash parser, yaml) cost more than the rest of the extension, and
// activation must not pay for them. Runs do not load it: their runner, with the Anthropic SDK and
// the tools, lives in the agent worker (src/host/agentWorker, dist/agentWorker.js). Nothing here
// may hold state the extension bundle also reads (each bundle has its own copy of a shared module).
export { loadPermissionRules } from '../../agent/permissions';
export { agentTypeDefinitions, agentTypeModels } from '../../host/agentTypeModels';
