// The permission gate (acceptEdits mode): the shell splitter, Claude Code rules and settings,
// the Bash decision, the path guard for file tools, and the access gate for the file and fetch tools.
export { splitCommand, type SimpleCommand, type Redirection, type EnvAssignment, type SplitResult } from './shell';
export { parseRule, RuleError, emptyRuleSet, type Rule, type BashRule, type ToolRule, type RuleSet } from './rules';
export { loadPermissionRules, settingsFiles, type ExtraRules, type LoadOptions, type LoadedRules } from './settings';
export { checkCommand, type CheckResult, type Where } from './check';
export { resolveInWorkspace, pathGuardFor, isInside, type PathCheck } from './paths';
export { isUnsafeEnvName } from './env';
export {
  PermissionGate,
  commandGateFor,
  ruleFor,
  type GateOptions,
  type Authorization,
  type UnattendedApprover,
} from './gate';
export { persistAllowRules, localSettingsFile } from './persist';
export { AccessGate, type AccessGateOptions } from './access';
export {
  writeProtection,
  protectedWriteReason,
  assertAgentMayWrite,
  ApprovedWrites,
  RUNS_FOLDER,
  type WriteProtection,
} from './protected';
export { decideFile, decideFetch, compilePathRule, type FileAccess, type Verdict } from './toolRules';
export { nonPublicReason, resolveHost, type ResolvedAddress } from './addresses';
