// Starts and stops workflow runs for the editor and keeps each run's live trace: the engine's event
// stream goes into a RunTrace (the execution DAG), which the tree view, the status bar and tests
// read. One WorkflowEngine per run, because its runner and run store belong to the script's folder.
import * as vscode from 'vscode';
import { runShape, type RunShape } from './runShape';
import {
  FileRunStore,
  MAX_SCRIPT_BYTES,
  RunTrace,
  ScriptError,
  WorkflowEngine,
  changedScriptMessage,
  findRepoRoot,
  parseWorkflowScript,
  personalFolder,
  registryResolver,
  unrecordedScriptMessage,
  type AgentRunner,
  type Approver,
  type ParsedScript,
  type RunCaps,
  type RunEvent,
  type RunRecord,
  type RunResult,
  type WorkflowRun,
} from '../../core';
import { SettingsRefusal } from '../../host/settingsRefusal';
import type { WorkerRunner } from '../../host/agentWorker/runnerProxy';
import { AgentWorkers } from '../agents/agentWorkers';
import { ChangeLog } from '../changes/changeLog';
import type { Approvals } from '../approvals/approvals';
import { IgnoredSettingsReporter, endpoint, readSettings, type WorkflowSettings } from '../settings/settings';
import { maskedEngineUrl, type EngineUrlStore } from '../settings/engineUrlStore';
import { withRemoteAgents } from '../agents/remoteAgents';
import { COMMANDS } from '../commandIds';
import { SettingsWarningReporter } from '../settings/settingsWarnings';
import type { ApiKeyStore } from '../settings/secrets';
import { makeRunPlan } from './runPlan';

/** How a late click on a withdrawn question names why its agent stopped asking. */
const AGENT_ENDED: Readonly<Record<string, string>> = {
  done: 'finished',
  cached: 'was replayed',
  null: 'ended without a result',
  skipped: 'was skipped',
  failed: 'failed',
  stopped: 'was stopped',
};

/** Finished runs kept in the view; older ones drop off (their records stay on disk). */
const KEEP_FINISHED = 20;

/** agents: 'remote' without an engine URL: what to do about it. */
export const REMOTE_ENGINE_MISSING =
  'dynamicWorkflows.agents is "remote", but no remote engine is set: run "Workflows: Set Remote Engine…" (the PostgreSQL URL of an engine whose workers run \'dwf worker\'; kept in secret storage), start VS Code with DWF_ENGINE_URL set, or set dynamicWorkflows.agents to "local".';

/** A run that could not start, with the one action that fixes it when there is one. */
export class RunRefused extends Error {
  override name = 'RunRefused';
  constructor(
    message: string,
    readonly action?: { title: string; command: string },
  ) {
    super(message);
  }
}

/** The person said no in the pre-run dialog: nothing to report. */
export class RunDeclined extends RunRefused {
  override name = 'RunDeclined';
  constructor(workflow: string) {
    super(`Run of ${workflow} cancelled.`);
  }
}

/** Asked before every run and resume (the pre-run dialog); false: the person declined. */
export type RunGate = (request: { script: ParsedScript; args: unknown; resumeOf?: string }) => Promise<boolean>;

export interface RunSession {
  readonly runId: string;
  readonly name: string;
  readonly file: vscode.Uri;
  readonly run: WorkflowRun;
  readonly trace: RunTrace;
  readonly done: Promise<RunResult>;
  /** The script as it runs (for call-site positions). */
  readonly script: ParsedScript;
  /** The script's `args` (undefined: none), shown on the run node. */
  readonly args: unknown;
  /** Set once the run has ended. */
  result?: RunResult;
  /** Model and concurrency it runs with (run node tooltip). */
  readonly shape?: RunShape;
}

export interface RunChange {
  session: RunSession;
  /** Trace node ids that changed; undefined when the session itself came or went. */
  nodeIds?: readonly string[];
}

export class RunController implements vscode.Disposable {
  private readonly sessions = new Map<string, RunSession>();
  private readonly changed = new vscode.EventEmitter<RunChange>();
  /** Fires for trace updates (batched by the engine, at most every 100 ms per run) and run start/end. */
  readonly onDidChange = this.changed.event;
  /** Set by the extension (preRunModal.ts); none: runs start without asking. */
  gate: RunGate | undefined;
  /** What each agent changed in the editor's workspace (Runs view, Open Changes, highlights). */
  readonly changes = new ChangeLog();
  /** Told the rules an "Always allow" answer saves: the person's own, not the workspace's (preRunModal.ts). */
  onAlwaysAllowed: ((rules: string[]) => void) | undefined;
  /** Says once that a workspace tried to set a user-only setting (baseUrl, confirmBeforeRun). */
  readonly ignoredSettings: IgnoredSettingsReporter;
  /** Problems with Claude Code's settings, agent files and plugins, from the shared assembly. */
  readonly settingsWarnings: SettingsWarningReporter;
  /** Each run's agent runner, in a worker thread of its own (tests look at them). */
  readonly agentWorkers: AgentWorkers;

  constructor(
    private readonly keys: ApiKeyStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly approvals: Approvals,
    /** The extension's bundled workflows, which workflow('<name>') in a script may name. */
    private readonly bundledDir?: string,
    /** The remote engine's URL (issue 13); absent: agents run here only. */
    private readonly engines?: EngineUrlStore,
  ) {
    this.ignoredSettings = new IgnoredSettingsReporter(log);
    this.settingsWarnings = new SettingsWarningReporter(log);
    this.agentWorkers = new AgentWorkers(log, this.changes);
  }

  /** Oldest first. */
  list(): RunSession[] {
    return [...this.sessions.values()];
  }

  get(runId: string): RunSession | undefined {
    return this.sessions.get(runId);
  }

  live(): RunSession[] {
    return this.list().filter((s) => !s.result);
  }

  /**
   * Parses the script (the editor's text when it is open, unsaved edits included) and starts it.
   * `options.args` becomes the script's `args`, verbatim (undefined: none).
   */
  async runFile(uri: vscode.Uri, options: { args?: unknown } = {}): Promise<RunSession> {
    await this.preconditions(uri);
    return this.runScript(await this.parseFile(uri), options.args);
  }

  /** Starts an already parsed script (its `file` is the script's path); `args` verbatim. */
  async runScript(script: ParsedScript, args?: unknown): Promise<RunSession> {
    const uri = vscode.Uri.file(script.file);
    const { folder, apiKey } = await this.preconditions(uri);
    if (this.gate && !(await this.gate({ script, args }))) throw new RunDeclined(script.meta.name);
    const { engine, settings, runner, closeRemote } = await this.engineFor(folder, apiKey, script.meta.name);
    let run: WorkflowRun;
    try {
      run = engine.start(script, {
        args,
        scriptFile: uri.fsPath,
        concurrency: settings.concurrency,
        budgetTotal: settings.budgetTotal,
        limits: { sliceMs: settings.sliceMs },
        caps: settings.caps,
        plan: makeRunPlan(script, args, folder.uri.fsPath, settings.model),
      });
    } catch (e) {
      void closeRemote();
      void runner.dispose();
      throw new RunRefused(`Cannot start ${script.meta.name}: ${(e as Error).message}`);
    }
    this.agentWorkers.attach(run.runId, runner, run.done);
    void run.done.finally(closeRemote);
    return this.track(run, script, uri, args, runShape(settings));
  }

  /**
   * Continues a stopped, failed or finished run of this workspace under its id: journaled agents
   * are replayed, the rest run live. The stored script and args are reused unless given.
   */
  async resume(
    runId: string,
    options: {
      script?: ParsedScript;
      args?: unknown;
      argsGiven?: boolean;
      acceptUnrecordedScript?: boolean;
      /** A cap the person raised (Raise Cap and Continue): wins over the settings' for this resume. */
      caps?: RunCaps;
    } = {},
  ): Promise<RunSession> {
    if (this.sessions.get(runId) && !this.sessions.get(runId)!.result)
      throw new RunRefused(`Run ${runId} is still running: stop it before resuming.`);
    const folder = vscode.workspace.workspaceFolders?.find(
      (f) => f.uri.scheme === 'file' && FileRunStore.forWorkspace(f.uri.fsPath).readRecord(runId),
    );
    if (!folder) throw new RunRefused(`No run ${runId} in this workspace's .claude/workflow-runs.`);
    const { apiKey } = await this.preconditions(folder.uri);
    const store = FileRunStore.forWorkspace(folder.uri.fsPath);
    const record = store.readRecord(runId)!;
    const script = options.script ?? this.storedScript(store, record, options.acceptUnrecordedScript === true);
    const args = options.argsGiven ? options.args : store.readArgs(runId)?.args;
    if (this.gate && !(await this.gate({ script, args, resumeOf: runId }))) throw new RunDeclined(script.meta.name);
    const { engine, settings, runner, closeRemote } = await this.engineFor(folder, apiKey, script.meta.name);
    let run: WorkflowRun;
    try {
      run = engine.resume(runId, {
        script,
        args,
        argsGiven: true,
        concurrency: settings.concurrency,
        budgetTotal: settings.budgetTotal,
        limits: { sliceMs: settings.sliceMs },
        // The engine keeps the run's stored caps where neither the settings nor the person name one.
        caps: { ...settings.caps, ...options.caps },
        // Only for a run whose record keeps no plan (one from before plans were kept).
        plan: makeRunPlan(script, args, folder.uri.fsPath, settings.model),
      });
    } catch (e) {
      void closeRemote();
      void runner.dispose();
      throw new RunRefused(`Cannot resume ${record.name} (${runId}): ${(e as Error).message}`);
    }
    this.agentWorkers.attach(run.runId, runner, run.done);
    void run.done.finally(closeRemote);
    const file = vscode.Uri.file(record.scriptFile ?? engine.store.scriptPath(runId));
    return this.track(run, run.script, file, args, runShape(settings));
  }

  /**
   * The copy of the script a run keeps, only while its sha256 is the one the run recorded (an
   * unhashed old run only when the person accepted it); its path is the file name, so "View
   * script" opens it.
   */
  private storedScript(store: FileRunStore, record: RunRecord, acceptUnrecorded: boolean): ParsedScript {
    const { runId } = record;
    const check = store.checkScript(record);
    const where = vscode.workspace.asRelativePath(store.scriptPath(runId));
    if (check.state === 'missing') throw new RunRefused(`Run ${runId} has no stored script.`);
    if (check.state === 'changed') {
      throw new RunRefused(
        changedScriptMessage(
          runId,
          check,
          where,
          'To continue, open the script file you trust and run it, or use "↻ Resume last run" on it (the pre-run dialog shows it first).',
        ),
      );
    }
    if (check.state === 'unrecorded' && !acceptUnrecorded)
      throw new RunRefused(
        unrecordedScriptMessage(runId, where, 'Resume it with "Workflows: Resume Run…", which asks you first.'),
      );
    try {
      return parseWorkflowScript(check.source, store.scriptPath(runId));
    } catch (e) {
      if (e instanceof ScriptError) throw new RunRefused(`Cannot resume ${runId}: ${e.format()}`);
      throw e;
    }
  }

  /** What every run needs: a trusted workspace, a folder on disk and an API key. */
  private async preconditions(uri: vscode.Uri): Promise<{ folder: vscode.WorkspaceFolder; apiKey: string }> {
    if (!vscode.workspace.isTrusted) {
      throw new RunRefused(
        'Workflows cannot run in an untrusted workspace: a workflow runs agents that edit files and run commands. Trust the workspace first.',
        {
          title: 'Manage Workspace Trust',
          command: 'workbench.trust.manage',
        },
      );
    }
    const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder || folder.uri.scheme !== 'file') {
      throw new RunRefused(
        'Open a folder first: a workflow run works inside a workspace folder (its agents read and edit files there, and the run is saved under .claude/workflow-runs).',
      );
    }
    const apiKey = await this.keys.get();
    if (!apiKey) {
      throw new RunRefused(
        'No Anthropic API key: set one with "Workflows: Set API Key" (kept in secret storage) or start VS Code with ANTHROPIC_API_KEY set.',
        {
          title: 'Set API Key',
          command: 'dynamicWorkflows.setApiKey',
        },
      );
    }
    return { folder, apiKey };
  }

  /** An engine whose runner, run store and permission gates belong to `folder` (assembled in src/host, as dwf's). */
  private async engineFor(folder: vscode.WorkspaceFolder, apiKey: string, name: string) {
    const settings = readSettings(folder.uri);
    if (settings.capProblems.length) {
      for (const p of settings.capProblems) this.log.warn(p);
      throw new RunRefused(settings.capProblems.join(' '), {
        title: 'Open Settings',
        command: 'workbench.action.openSettings',
      });
    }
    const root = folder.uri.fsPath;
    const store = FileRunStore.forWorkspace(root);
    this.ignoredSettings.report(settings.ignored);
    const personal = personalFolder(process.env, process.cwd());
    let assembled: { runner: WorkerRunner; warnings: string[] };
    try {
      // The shared assembly, in a worker thread (agentWorkers.ts): the SDK never loads on this one.
      assembled = await this.agentWorkers.start(
        {
          roots: [root],
          personal,
          runsDir: store.root,
          apiKey,
          baseURL: endpoint(settings),
          model: settings.model,
          requestConcurrency: settings.concurrency,
          worktreeBase: settings.worktreeBaseRef,
          allow: { source: 'dynamicWorkflows.allow', rules: settings.allow, strict: false },
          env: process.env,
        },
        // Edits of the main tree still go through WorkspaceEdits here (undoable, open editors in sync).
        this.reportingAlways(this.approvals.approverFor(name)),
      );
    } catch (e) {
      if (!(e instanceof SettingsRefusal)) throw e;
      for (const p of e.problems) this.log.warn(p);
      throw new RunRefused(
        `The run was not started: the permission rules are broken, and a broken deny rule must not let commands through. Fix: ${e.fatal.join('; ')}`,
      );
    }
    this.settingsWarnings.report(assembled.warnings);
    let remote: ReturnType<typeof withRemoteAgents> | undefined;
    try {
      remote = await this.remoteAgents(settings, root, store.root, assembled.runner, name);
    } catch (e) {
      void assembled.runner.dispose();
      throw e;
    }
    const engine = new WorkflowEngine({
      runner: remote ?? assembled.runner,
      store,
      resolveWorkflow: registryResolver({
        cwd: root,
        repoRoot: findRepoRoot(root),
        personalDir: personal.workflowsDir,
        bundledDir: this.bundledDir,
      }),
    });
    const closeRemote = () => remote?.close().catch(() => undefined) ?? Promise.resolve();
    return { engine, settings, runner: assembled.runner, closeRemote };
  }

  /**
   * With an engine URL, the run's runner wrapped in the conductor (isolation: 'remote' agents, or
   * every agent with agents: 'remote'); without one, agents: 'remote' is refused with how to set it.
   */
  private async remoteAgents(
    settings: WorkflowSettings,
    root: string,
    runsDir: string,
    local: AgentRunner,
    name: string,
  ): Promise<ReturnType<typeof withRemoteAgents> | undefined> {
    const url = await this.engines?.get();
    if (!url) {
      if (settings.agents === 'remote')
        throw new RunRefused(REMOTE_ENGINE_MISSING, { title: 'Set Remote Engine', command: COMMANDS.setRemoteEngine });
      return undefined;
    }
    const remote = withRemoteAgents(local, {
      url,
      agents: settings.agents,
      root,
      runsDir,
      approver: this.reportingAlways(this.approvals.approverFor(name)),
      allow: settings.allow,
      model: settings.model,
      changes: this.changes,
      log: this.log,
    });
    if (settings.agents !== 'remote') return remote;
    // Every agent remote: an unreachable engine stops the run before it starts (the message is masked).
    try {
      await remote.connect();
    } catch (e) {
      await remote.close().catch(() => undefined);
      throw new RunRefused(
        `The remote engine ${maskedEngineUrl(url)} cannot be used: ${(e as Error).message} Check that PostgreSQL is running there and that 'dwf engine init' was run once, or set another engine (Workflows: Set Remote Engine…), or set dynamicWorkflows.agents to "local".`,
        { title: 'Set Remote Engine', command: COMMANDS.setRemoteEngine },
      );
    }
    return remote;
  }

  /** The approver, telling onAlwaysAllowed which rules an "Always allow" answer saves. */
  private reportingAlways(approver: Approver): Approver {
    return {
      approveCommand: async (request) => {
        const answer = await approver.approveCommand(request);
        // The gates say which rules "always" (or "prefix") saves; without any, the answer counted as once.
        const saved = answer === 'always' ? request.rules : answer === 'prefix' ? request.prefixRules : undefined;
        if (saved?.length) this.onAlwaysAllowed?.(saved);
        return answer;
      },
    };
  }

  /** Stops a live run: the script ends, running agents are aborted, finished ones stay journaled. */
  stop(runId: string): boolean {
    const s = this.sessions.get(runId);
    if (!s || s.result) return false;
    this.log.info(`[${s.name}] stop requested`);
    // At once, not when the run has wound down: its questions no longer apply (and before the
    // agents' stopped events, so a late click hears that the run was stopped).
    this.approvals.withdraw(runId, 'the run was stopped');
    s.run.stop();
    return true;
  }

  /** Drops a finished run from the view (Delete, Clear); false while it is running. */
  remove(runId: string): boolean {
    const s = this.sessions.get(runId);
    if (!s || !s.result) return false;
    this.sessions.delete(runId);
    this.changes.drop(runId);
    this.changed.fire({ session: s });
    return true;
  }

  dispose(): void {
    for (const s of this.live()) s.run.stop();
    this.agentWorkers.dispose();
    this.changed.dispose();
    this.changes.dispose();
  }

  /** The script of `uri` (the editor's text when open), parsed; a ScriptError becomes RunRefused. */
  async parseFile(uri: vscode.Uri): Promise<ParsedScript> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    let source: string;
    if (open) source = open.getText();
    else {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_SCRIPT_BYTES)
        throw new RunRefused(`${vscode.workspace.asRelativePath(uri)}: script exceeds ${MAX_SCRIPT_BYTES} bytes`);
      source = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    }
    try {
      return parseWorkflowScript(source, uri.fsPath);
    } catch (e) {
      if (e instanceof ScriptError) {
        const where = e.line
          ? `${vscode.workspace.asRelativePath(uri)}:${e.line}:${e.column ?? 1}`
          : vscode.workspace.asRelativePath(uri);
        throw new RunRefused(`${where}: ${e.message}`);
      }
      throw e;
    }
  }

  private track(run: WorkflowRun, script: ParsedScript, file: vscode.Uri, args: unknown, shape?: RunShape): RunSession {
    const trace = new RunTrace();
    const session: RunSession = {
      runId: run.runId,
      name: script.meta.name,
      file,
      run,
      trace,
      done: run.done,
      script,
      args,
      shape,
    };
    // A resumed run replaces its earlier session and moves to the end (newest).
    this.sessions.delete(run.runId);
    this.sessions.set(run.runId, session);
    this.log.info(`[${session.name}] run ${run.runId} started from ${vscode.workspace.asRelativePath(file)}`);
    trace.onDidChange((nodeIds) => this.changed.fire({ session, nodeIds }));
    run.events.subscribe(
      (batch) => {
        trace.apply(batch);
        this.logEvents(session, batch);
        // An agent skipped or ended while it waited no longer asks: close its question.
        for (const e of batch)
          if (e.type === 'agent' && e.state !== 'running' && e.state !== 'queued')
            this.approvals.withdrawAgent(run.runId, e.agentId, `the agent ${AGENT_ENDED[e.state]}`);
      },
      { replay: true },
    );
    this.changed.fire({ session });
    void run.done.then((result) => {
      session.result = result;
      this.approvals.withdraw(run.runId, `the run ${result.status === 'completed' ? 'ended' : result.status}`);
      const how = result.error ? `${result.status}: ${result.error.message}` : result.status;
      const line = `[${session.name}] run ${run.runId} ${how} — ${result.agents.done} done, ${result.agents.cached} cached, ${result.agents.failed} failed, ${result.agents.skipped} skipped; ${result.usage.output} output tokens; ${(result.durationMs / 1000).toFixed(1)} s`;
      if (result.status === 'failed') this.log.error(line);
      else this.log.info(line);
      this.prune();
      this.changed.fire({ session });
    });
    return session;
  }

  private logEvents(session: RunSession, batch: readonly RunEvent[]): void {
    for (const e of batch) {
      if (e.type === 'log') this.log[e.level](`[${session.name}] ${e.message}`);
      else if (e.type === 'agent' && e.state === 'failed')
        this.log.warn(`[${session.name}] agent ${e.label} failed: ${e.error?.message ?? 'unknown error'}`);
    }
  }

  private prune(): void {
    const finished = this.list().filter((s) => s.result);
    for (const s of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) {
      this.sessions.delete(s.runId);
      this.changed.fire({ session: s });
    }
  }
}
