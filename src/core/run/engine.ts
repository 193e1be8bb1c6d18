// The engine's front door for hosts: start a script, resume a run. Hosts (CLI, VS Code) build
// one WorkflowEngine with their ports and call these; everything else is a WorkflowRun.
import * as fs from 'node:fs';
import { WorkflowRun, type RunDeps, type RunSettings } from './run';
import { readJournal } from '../journal/journalFile';
import { ReplayIndex } from '../journal/replay';
import { changedScriptMessage, scriptHash, unrecordedScriptMessage, type RunRecord } from '../journal/runStore';
import { parseWorkflowScript, type ParsedScript } from '../script';
import { zeroUsage } from '../types';

export interface StartOptions extends RunSettings {
  /** The script's `args`, passed verbatim (spec §2.5); undefined when none. */
  args?: unknown;
  /** Where the script came from, for the run record. */
  scriptFile?: string;
}

export interface ResumeOptions extends RunSettings {
  /** New args; when absent the run's stored args are reused (spec §7 row 4). */
  args?: unknown;
  argsGiven?: boolean;
  /** An edited script; when absent the stored script is run again. */
  script?: ParsedScript;
}

export class WorkflowEngine {
  constructor(private readonly deps: RunDeps) {}

  get store() {
    return this.deps.store;
  }

  start(script: ParsedScript, options: StartOptions = {}): WorkflowRun {
    const runId = this.deps.store.newRunId();
    const now = Date.now();
    const record: RunRecord = {
      runId,
      name: script.meta.name,
      description: script.meta.description,
      status: 'running',
      scriptFile: options.scriptFile,
      scriptSha256: scriptHash(script.source),
      createdAt: now,
      updatedAt: now,
      agents: { total: 0, done: 0, cached: 0, failed: 0, skipped: 0 },
      usage: zeroUsage(),
      logs: [],
      pid: process.pid,
    };
    this.deps.store.create(runId, { source: script.source, args: options.args, record });
    const run = new WorkflowRun(runId, script, options.args, this.deps, options, undefined, record);
    run.start(false);
    return run;
  }

  /**
   * Continues a run under the same id: every agent() whose key has a journaled result is
   * replayed, whatever missed before it (spec §7 row 1); the rest run live.
   */
  resume(runId: string, options: ResumeOptions = {}): WorkflowRun {
    const { store } = this.deps;
    const previous = store.readRecord(runId);
    if (!previous) throw new Error(`No run ${runId} in ${store.root}. List runs to see which exist.`);
    if (store.isLive(previous)) {
      throw new Error(`Run ${runId} is still running (process ${previous.pid}). Stop it before resuming.`);
    }
    let script = options.script;
    // The edited script becomes the run's script, so the next resume starts from it.
    if (script) fs.writeFileSync(store.scriptPath(runId), script.source, { mode: 0o600 });
    else {
      // The stored copy runs only if it is the one the run recorded; hosts that asked the person
      // about a copy they cannot check pass it as `script` instead.
      const check = store.checkScript(previous);
      const where = store.scriptPath(runId);
      if (check.state === 'missing') throw new Error(`Run ${runId} has no stored script; resume it with the script file.`);
      if (check.state === 'changed') throw new Error(changedScriptMessage(runId, check, where, 'Run the script file you trust instead.'));
      if (check.state === 'unrecorded') throw new Error(unrecordedScriptMessage(runId, where, 'Read it, then resume it from a host that asks you to confirm.'));
      script = parseWorkflowScript(check.source, previous.scriptFile ?? 'workflow.js');
    }
    const args = options.argsGiven ? options.args : store.readArgs(runId)?.args;
    const { lines } = readJournal(store.journalPath(runId));
    const replay = ReplayIndex.fromLines(lines);
    store.writeArgs(runId, args);
    const record: RunRecord = {
      ...previous,
      name: script.meta.name,
      description: script.meta.description,
      scriptSha256: scriptHash(script.source),
      status: 'running',
      updatedAt: Date.now(),
      pid: process.pid,
      error: undefined,
      result: undefined,
    };
    store.writeRecord(record);
    const run = new WorkflowRun(runId, script, args, this.deps, options, replay, record);
    run.start(true);
    return run;
  }
}
