// `Workflows: Resume Run…` and the `↻ Resume last run` lens: continue a run of this workspace under
// its id. Finished agents are replayed from the journal; the stored args are reused unless new ones
// are typed. The palette resumes the script the run stored; the lens resumes the file as it is now
// (edit a prompt, resume, and only what the edit touches runs again). The stored script runs only
// while its sha256 is the one the run recorded (the controller refuses a rewritten copy); a run from
// before hashes were kept is resumed only after the person has been asked.
import * as vscode from 'vscode';
import {
  countsText,
  duration,
  plainLabel,
  recordCounts,
  runCounts,
  unrecordedScriptMessage,
  type RunCaps,
  type RunRecord,
} from '../../core';
import type { Dialogs } from '../ui/dialogs';
import type { RunController } from './runController';
import { askArgs } from '../ui/argsPrompt';
import { reportRefused } from './refusals';
import { lastRunOf, resumableRuns, stores } from './storedRuns';
import { join } from '../ui/format';

export const UNRECORDED_BUTTONS = { resume: 'Resume Anyway', view: 'View Script' } as const;

export interface ResumeDeps {
  controller: RunController;
  dialogs: Dialogs;
  reveal(runId: string): void;
}

interface RunItem extends vscode.QuickPickItem {
  record: RunRecord;
}

function when(at: number, now = Date.now()): string {
  return `${duration(now - at)} ago`;
}

/**
 * `8/30 done · 22 stopped`: from the run's trace while the Runs view holds it (the same reading the
 * tree shows), else from its run.json read the same way.
 */
export function pickerCounts(controller: RunController, record: RunRecord): string {
  const root = controller.get(record.runId)?.trace.root;
  const counts = root ? runCounts(root.counts, { final: true }) : recordCounts(record.agents, record.status);
  return countsText(counts, { tokens: false });
}

function storedArgs(runId: string): string {
  for (const store of stores()) {
    const a = store.readArgs(runId);
    if (a) return a.args === undefined ? 'none' : (JSON.stringify(a.args) ?? 'none');
  }
  return 'none';
}

/**
 * The palette command: pick a run, optionally new args, then resume. Given a run (the inline action
 * on a stopped or failed run, a notification's Resume), it reuses the args the run stored, unasked.
 */
export async function resumeRun(
  deps: ResumeDeps,
  runId?: string,
  /** A cap the person raised for this resume (Raise Cap and Continue). */
  extra: { caps?: RunCaps } = {},
): Promise<string | undefined> {
  const picked = !runId;
  if (!runId) {
    const records = resumableRuns(deps.controller);
    if (records.length === 0) {
      void vscode.window.showInformationMessage('No workflow run of this workspace to resume.');
      return undefined;
    }
    const items: RunItem[] = records.map((r) => ({
      label: plainLabel(r.name),
      description: join(
        r.status === 'running' ? 'interrupted' : r.status,
        pickerCounts(deps.controller, r),
        when(r.updatedAt),
      ),
      detail: plainLabel(`${r.runId}${r.scriptFile ? ` · ${vscode.workspace.asRelativePath(r.scriptFile)}` : ''}`),
      record: r,
    }));
    const pick = await deps.dialogs.pick(items, {
      title: 'Resume Run',
      placeHolder: 'Finished agents are replayed, not re-run',
      matchOnDetail: true,
    });
    if (!pick) return undefined;
    runId = pick.record.runId;
  }
  const accepted = await acceptUnhashedScript(deps, runId);
  if (accepted === undefined) return undefined;
  const stored = storedArgs(runId);
  const args = picked
    ? await askArgs(deps.dialogs, {
        title: `Resume ${runId}: args`,
        prompt: `New args, or empty to reuse the stored ones (${stored.length > 80 ? `${stored.slice(0, 79)}…` : stored}).`,
      })
    : { given: false as const };
  if (!args) return undefined;
  try {
    const session = await deps.controller.resume(runId, {
      ...(args.given ? { args: args.args, argsGiven: true } : {}),
      acceptUnrecordedScript: accepted,
      caps: extra.caps,
    });
    deps.reveal(session.runId);
    return session.runId;
  } catch (e) {
    return reportRefused(e);
  }
}

/**
 * A run recorded without a script hash: its script.js cannot be checked, so the person decides.
 * true: asked and accepted; false: nothing to ask; undefined: declined.
 */
async function acceptUnhashedScript(deps: ResumeDeps, runId: string): Promise<boolean | undefined> {
  for (const store of stores()) {
    const record = store.readRecord(runId);
    if (!record) continue;
    if (store.checkScript(record).state !== 'unrecorded') return false;
    const file = store.scriptPath(runId);
    const message = unrecordedScriptMessage(
      runId,
      vscode.workspace.asRelativePath(file),
      'Read it before you resume it.',
    );
    const answer = await deps.dialogs.warn(
      `Resume ${runId} with an unchecked script?`,
      message,
      UNRECORDED_BUTTONS.resume,
      UNRECORDED_BUTTONS.view,
    );
    if (answer === UNRECORDED_BUTTONS.view)
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    return answer === UNRECORDED_BUTTONS.resume ? true : undefined;
  }
  return false;
}

/** The lens: the newest run of this file, resumed with the file's current text and the stored args. */
export async function resumeLastRun(deps: ResumeDeps, file: vscode.Uri | undefined): Promise<string | undefined> {
  const uri = file ?? vscode.window.activeTextEditor?.document.uri;
  const last = uri && lastRunOf(uri);
  if (!uri || !last) {
    void vscode.window.showInformationMessage('This script has no run to resume.');
    return undefined;
  }
  try {
    const session = await deps.controller.resume(last.runId, { script: await deps.controller.parseFile(uri) });
    deps.reveal(session.runId);
    return session.runId;
  } catch (e) {
    return reportRefused(e);
  }
}
