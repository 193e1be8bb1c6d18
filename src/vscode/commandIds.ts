// Every command id the extension registers, by name: the command table (commandTable.ts) maps each to
// its handler, and code that links to or runs a command names it from here. Pure (no vscode import),
// so a unit test compares these ids with package.json's contributes.commands.
export const COMMANDS = {
  // Runs
  runCurrentScript: 'dynamicWorkflows.runCurrentScript',
  runFile: 'dynamicWorkflows.runFile',
  stopRun: 'dynamicWorkflows.stopRun',
  resumeRun: 'dynamicWorkflows.resumeRun',
  resumeLastRun: 'dynamicWorkflows.resumeLastRun',
  raiseCapAndContinue: 'dynamicWorkflows.raiseCapAndContinue',
  deleteRun: 'dynamicWorkflows.deleteRun',
  clearFinishedRuns: 'dynamicWorkflows.clearFinishedRuns',
  forgetAlwaysRun: 'dynamicWorkflows.forgetAlwaysRun',
  showRun: 'dynamicWorkflows.showRun',
  goToError: 'dynamicWorkflows.goToError',
  filterRunsByState: 'dynamicWorkflows.filterRunsByState',
  clearRunsFilter: 'dynamicWorkflows.clearRunsFilter',
  skipAgent: 'dynamicWorkflows.skipAgent',
  retryAgent: 'dynamicWorkflows.retryAgent',
  openTranscript: 'dynamicWorkflows.openTranscript',
  copyResult: 'dynamicWorkflows.copyResult',
  revealCallSite: 'dynamicWorkflows.revealCallSite',
  // Scripts and saved workflows
  runWorkflow: 'dynamicWorkflows.runWorkflow',
  saveRun: 'dynamicWorkflows.saveRun',
  saveScript: 'dynamicWorkflows.saveScript',
  newWorkflow: 'dynamicWorkflows.newWorkflow',
  runSaved: 'dynamicWorkflows.runSaved',
  runSavedWithArgs: 'dynamicWorkflows.runSavedWithArgs',
  openSaved: 'dynamicWorkflows.openSaved',
  refreshSaved: 'dynamicWorkflows.refreshSaved',
  createAgentFile: 'dynamicWorkflows.authoring.createAgentFile',
  // Agents
  findAgent: 'dynamicWorkflows.findAgent',
  openWorktree: 'dynamicWorkflows.openWorktree',
  compareWorktreeWithBase: 'dynamicWorkflows.compareWorktreeWithBase',
  // Approvals
  showApprovals: 'dynamicWorkflows.showApprovals',
  answerApproval: 'dynamicWorkflows.answerApproval',
  reviewApproval: 'dynamicWorkflows.reviewApproval',
  allowWaitingAgent: 'dynamicWorkflows.allowWaitingAgent',
  denyWaitingAgent: 'dynamicWorkflows.denyWaitingAgent',
  // Changes
  openChanges: 'dynamicWorkflows.openChanges',
  openChangedFile: 'dynamicWorkflows.openChangedFile',
  clearChangeHighlights: 'dynamicWorkflows.clearChangeHighlights',
  // Documents
  openWorkspaceFile: 'dynamicWorkflows.openWorkspaceFile',
  // Settings
  setApiKey: 'dynamicWorkflows.setApiKey',
  setRemoteEngine: 'dynamicWorkflows.setRemoteEngine',
  clearRemoteEngine: 'dynamicWorkflows.clearRemoteEngine',
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandId = (typeof COMMANDS)[CommandName];

/**
 * Registered but deliberately not in package.json: the transcript webview's file links and a quick
 * fix's action call them with arguments of their own; from the palette they could do nothing useful.
 */
export const INTERNAL_COMMANDS: readonly CommandId[] = [COMMANDS.openWorkspaceFile, COMMANDS.createAgentFile];
