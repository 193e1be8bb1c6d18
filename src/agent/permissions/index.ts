// The permission gate (acceptEdits mode): the shell splitter, Claude Code rules and settings,
// the Bash decision, and the path guard for file tools.
export { splitCommand, type SimpleCommand, type Redirection, type EnvAssignment, type SplitResult } from './shell';
export { parseRule, RuleError, emptyRuleSet, type Rule, type BashRule, type ToolRule, type RuleSet } from './rules';
export { loadPermissionRules, settingsFiles, type ExtraRules, type LoadOptions, type LoadedRules } from './settings';
export { checkCommand, type CheckResult, type Where } from './check';
export { resolveInWorkspace, pathGuardFor, isInside, type PathCheck } from './paths';
export { isUnsafeEnvName } from './env';
export { PermissionGate, commandGateFor, ruleFor, type GateOptions, type Authorization, type UnattendedApprover } from './gate';
export { persistAllowRules, localSettingsFile } from './persist';
