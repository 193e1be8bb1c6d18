// The engine's front door for hosts: start a script, resume a run. Hosts (CLI, VS Code) build
// one WorkflowEngine with their ports and call these; everything else is a WorkflowRun.
import { WorkflowRun, type RunDeps, type RunSettings } from './run';
import { readJournal } from '../journal/journalFile';
import { ReplayIndex } from '../journal/replay';
import { changedScriptMessage, scriptHash, unrecordedScriptMessage, type RunRecord } from '../journal/runStore';
import { RunLock } from '../journal/runLock';
import { parseWorkflowScript, type ParsedScript } from '../script';
import { zeroUsage, type RunCaps } from '../types';
import { hostIntlDefaults } from '../sandbox/intlHost';

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
      ...(options.intl ?? hostIntlDefaults()),
      ...capsField(mergeCaps(undefined, options.caps)),
    };
    this.deps.store.create(runId, { source: script.source, args: options.args, record });
    const lock = RunLock.acquire(this.deps.store.dir(runId), runId);
    try {
      const run = new WorkflowRun(
        runId,
        script,
        options.args,
        this.deps,
        { ...options, caps: record.caps },
        undefined,
        record,
        lock,
      );
      run.start(false);
      return run;
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  /**
   * Continues a run under the same id: every agent() whose key has a journaled result is
   * replayed, whatever missed before it (spec §7 row 1); the rest run live.
   */
  resume(runId: string, options: ResumeOptions = {}): WorkflowRun {
    const { store } = this.deps;
    const previous = store.readRecord(runId);
    if (!previous) throw new Error(`No run ${runId} in ${store.root}. List runs to see which exist.`);
    // One writer per run: a second resume (or a resume of a run still going) is refused here,
    // before anything of the run is touched.
    const lock = RunLock.acquire(store.dir(runId), runId);
    try {
      return this.resumeLocked(runId, previous, options, lock);
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  private resumeLocked(runId: string, previous: RunRecord, options: ResumeOptions, lock: RunLock): WorkflowRun {
    const { store } = this.deps;
    let script = options.script;
    // The edited script becomes the run's script, so the next resume starts from it.
    if (script) store.writeScript(runId, script.source);
    else {
      // The stored copy runs only if it is the one the run recorded; hosts that asked the person
      // about a copy they cannot check pass it as `script` instead.
      const check = store.checkScript(previous);
      const where = store.scriptPath(runId);
      if (check.state === 'missing')
        throw new Error(`Run ${runId} has no stored script; resume it with the script file.`);
      if (check.state === 'changed')
        throw new Error(changedScriptMessage(runId, check, where, 'Run the script file you trust instead.'));
      if (check.state === 'unrecorded')
        throw new Error(
          unrecordedScriptMessage(runId, where, 'Read it, then resume it from a host that asks you to confirm.'),
        );
      script = parseWorkflowScript(check.source, previous.scriptFile ?? 'workflow.js');
    }
    const args = options.argsGiven ? options.args : store.readArgs(runId)?.args;
    const { lines } = readJournal(store.journalPath(runId));
    const replay = ReplayIndex.fromLines(lines);
    store.writeArgs(runId, args);
    const intl = options.intl ?? hostIntlDefaults();
    const caps = mergeCaps(previous.caps, options.caps);
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
      paused: undefined,
      // Recorded at the start; a run from before they were recorded gets this host's now, for good.
      locale: previous.locale ?? intl.locale,
      timeZone: previous.timeZone ?? intl.timeZone,
      caps: undefined,
      ...capsField(caps),
    };
    store.writeRecord(record);
    const run = new WorkflowRun(runId, script, args, this.deps, { ...options, caps }, replay, record, lock);
    run.start(true);
    return run;
  }
}

/**
 * The caps a session runs with: each cap `given` names replaces the stored one, the others are kept
 * (a resume without caps must not drop a cap the run was started under). Only positive finite
 * numbers count; anything else is no cap.
 */
export function mergeCaps(stored: RunCaps | undefined, given: RunCaps | undefined): RunCaps {
  const out: RunCaps = {};
  for (const key of ['maxCostUsd', 'maxAgents'] as const) {
    const value = capValue(given?.[key]) ?? capValue(stored?.[key]);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function capValue(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

/** `{caps}` when any cap is set, else nothing (run.json stays as it was for uncapped runs). */
function capsField(caps: RunCaps): { caps?: RunCaps } {
  return Object.keys(caps).length ? { caps } : {};
}
