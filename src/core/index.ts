// The front door of the engine: what the hosts (src/cli, src/vscode, src/host) may use. Hosts import
// from here, never from a deep module (eslint enforces it), so the engine can move its insides freely.
export { parseArgsText } from './argsText';
export {
  codiconEscape,
  hasLinkSyntax,
  hiddenCount,
  markdownCode,
  markdownEscape,
  markdownFence,
  nonAsciiCharacters,
  notificationText,
  oneLine,
  plainLabel,
  shorten,
  visibleText,
} from './display';
export { ScriptError, ScriptSyntaxError } from './errors';
export {
  DEFAULT_CONFIRM_THRESHOLDS,
  largeRun,
  largeRunButton,
  largeRunQuestion,
  stricterThreshold,
} from './estimate/largeRun';
export type { ConfirmThresholds, LargeRun } from './estimate/largeRun';
export { pricedPlan } from './estimate/plan';
export type { PricedPlan } from './estimate/plan';
export { planHeadline, planJson, planLines } from './estimate/planText';
export { runPlanOf } from './estimate/runPlan';
export { count, duration, usd } from './format';
export { readJournal } from './journal/journalFile';
export { RunLockedError } from './journal/runLock';
export {
  FileRunStore,
  assertRunId,
  changedScriptMessage,
  scriptHash,
  unrecordedScriptMessage,
} from './journal/runStore';
export type { RunRecord } from './journal/runStore';
export type {
  AgentOutcome,
  AgentProgress,
  AgentRequest,
  AgentRunner,
  ApprovalAnswer,
  ApprovalRequest,
  Approver,
  Asker,
  Workspace,
} from './ports';
export {
  SaveError,
  WORKFLOW_TEMPLATES,
  defaultPersonalDir,
  discoverPlugins,
  discoverWorkflows,
  findRepoRoot,
  personalFolder,
  projectSaveDir,
  registryResolver,
  saveWorkflow,
  slugify,
} from './registry/index';
export type { RegistryOptions, SavedWorkflow, WorkflowOrigin, WorkflowTemplate } from './registry/index';
export { ScriptFileError, readCappedFile } from './registry/scriptFile';
export {
  capDollars,
  capLimitText,
  capReachedText,
  heldText,
  pauseText,
  pausedText,
  raiseFlag,
  raisedCap,
} from './run/capText';
export { WorkflowEngine } from './run/engine';
export type { AgentState, RunEvent } from './run/events';
export type { RunResult, RunSettings, WorkflowRun } from './run/run';
export { countsText, recordCounts, runCounts } from './run/runCounts';
export type { CountsContext, RunCounts } from './run/runCounts';
export { spendText } from './run/spendText';
export { RunTrace, addSummary, emptySummary } from './run/trace';
export type { AgentNode, GroupNode, PhaseNode, RunNode, SlotNode, TraceNode, TraceSummary } from './run/trace';
export { worktreeText } from './run/worktreeText';
export { DEFAULT_SLICE_MS, SLICE_MS_MAX, SLICE_MS_MIN } from './sandbox/protocol';
export { authoringProblems, workflowProblemsOf } from './script/authoringChecks';
export type { AuthoringCode, AuthoringContext, AuthoringFix, AuthoringProblem } from './script/authoringChecks';
export { CallSiteMap } from './script/callSites';
export type { CallSite } from './script/callSites';
export { estimateAgents } from './script/estimate';
export type { AgentEstimate } from './script/estimate';
export { MAX_SCRIPT_BYTES, parseWorkflowScript, readMeta, readsArgs } from './script/index';
export type { ParsedScript } from './script/index';
export { plannedAgents } from './script/plannedAgents';
export { zeroUsage } from './types';
export type {
  ErrorInfo,
  ErrorLocation,
  PauseInfo,
  RunCaps,
  RunPlan,
  RunStatus,
  SourceLocation,
  TokenUsage,
  WorktreeInfo,
} from './types';
