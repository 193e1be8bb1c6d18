// The editor's agent runners, one worker thread per run (src/host/agentWorker): the SDK streams,
// tool loops and permission gates run there, so the editor stays responsive during big runs. Here
// the main thread's share is wired in: reads of open documents and edits as WorkspaceEdits
// (undoable, recorded in the change log), approvals, and the log.
import * as vscode from 'vscode';
import type { AgentAssemblyOptions } from '../../host/agentAssembly';
import { WorkerRunner } from '../../host/agentWorker/runnerProxy';
import { ApprovedWrites } from '../../agent/permissions/protected';
import type { Approver } from '../../core';
import type { ChangeLog } from '../changes/changeLog';
import { EditorWorkspace } from './editorWorkspace';

export class AgentWorkers {
  private readonly byRun = new Map<string, WorkerRunner>();

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly changes: ChangeLog,
  ) {}

  /** Starts a worker and assembles the run's runner there; rejects with its SettingsRefusal or error. */
  async start(
    options: AgentAssemblyOptions,
    approver: Approver,
  ): Promise<{ runner: WorkerRunner; warnings: string[] }> {
    // The worker's backstop consumes the access gate's grants; this one only lets through the
    // writes the worker says were granted (and still refuses the runs folder outright).
    const granted = new ApprovedWrites();
    const editor = new EditorWorkspace(
      options.roots,
      { approvedWrites: granted, runsDirs: [options.runsDir] },
      this.changes,
    );
    return WorkerRunner.start(
      { assembly: { options, vscodeAppRoot: vscode.env.appRoot } },
      {
        approver,
        log: this.log,
        workspace: {
          forAgent: (agent) => (agent ? editor.forAgent(agent) : editor),
          approve: (file) => granted.grant(file),
        },
      },
    );
  }

  /** Ties `runner` to its run: the worker ends when the run does. */
  attach(runId: string, runner: WorkerRunner, done: Promise<unknown>): void {
    const earlier = this.byRun.get(runId);
    if (earlier && earlier !== runner) void earlier.dispose();
    this.byRun.set(runId, runner);
    void done.finally(() => {
      if (this.byRun.get(runId) === runner) this.byRun.delete(runId);
      void runner.dispose();
    });
  }

  /** The run's worker thread id while its worker runs, and how many it started (tests). */
  workerOf(runId: string): { threadId: number | undefined; started: number } | undefined {
    const runner = this.byRun.get(runId);
    return runner && { threadId: runner.threadId, started: runner.started };
  }

  /** Ends the run's worker abruptly, as a crash would (tests of a crash mid-run). */
  async crashForTest(runId: string): Promise<boolean> {
    const runner = this.byRun.get(runId);
    if (!runner) return false;
    await runner.crashForTest();
    return true;
  }

  dispose(): void {
    for (const runner of this.byRun.values()) void runner.dispose();
    this.byRun.clear();
  }
}
