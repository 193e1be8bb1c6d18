// OS sandbox for agent commands (bubblewrap on Linux) and the environment they get.
export {
  CommandSandbox,
  defaultCommandSandbox,
  type CommandLaunch,
  type CommandLauncher,
  type LaunchPlan,
  type CommandSandboxOptions,
} from './commandSandbox';
export { bwrapArgs, type SandboxPlan } from './bwrapArgs';
export { sandboxSupport, probeSandbox, findBwrap, type SandboxSupport } from './detect';
export { protectedPaths, protectedMounts, type ProtectedMounts } from './protectedPaths';
export { gitDirsIn, GIT_DIR_WALK_LIMIT } from './gitDirs';
export {
  DEFAULT_SANDBOX_SETTINGS,
  loadUserSandboxSettings,
  parseSandboxSettings,
  applyEnvOverride,
  networkPolicy,
  type SandboxSettings,
  type NetworkPolicy,
} from './settings';
export {
  commandEnvironment,
  isCredentialName,
  takeSecretsFromEnvironment,
  hideCredentialsFromProc,
  RUNTIME_SECRET_NAMES,
} from './env';
export { supervisedArgs, WATCHDOG_INTERVAL_S } from './supervisor';
export { DomainRules, domainRulesFrom, parseDomainEntry, type DomainDecision } from './network/domainRules';
export { FilteringProxy, HEADER_LIMIT_BYTES, type FilteringProxyOptions } from './network/filteringProxy';
export { AgentProxies, type AgentIdentity } from './network/agentProxies';
export { BRIDGE_PORT, bridgeBwrapArgs, bridgedCommand, netBridgePath } from './network/bridgeLaunch';
