// "Raise Cap and Continue" on a run paused at a cap (issue 11): asks for the new cap, prefilled
// above what was spent, then resumes the run under its id through the ordinary resume path —
// finished agents replayed, nothing re-run, the held agents start.
import * as vscode from 'vscode';
import { capDollars, capReachedText, plainLabel, raisedCap, type PauseInfo, type RunCaps } from '../../core';
import { resumeRun, type ResumeDeps } from './resumeRun';
import { resumableRuns, stores } from './storedRuns';
import { COMMANDS } from '../commandIds';

export const RAISE_CAP_COMMAND = COMMANDS.raiseCapAndContinue;

/** The pause of a run: this session's result, else its run.json. */
function pauseOf(deps: ResumeDeps, runId: string): { name: string; pause: PauseInfo } | undefined {
  const session = deps.controller.get(runId);
  if (session?.result) return session.result.paused && { name: session.name, pause: session.result.paused };
  for (const store of stores()) {
    const r = store.readRecord(runId);
    if (r) return r.status === 'paused' && r.paused ? { name: r.name, pause: r.paused } : undefined;
  }
  return undefined;
}

/** The new cap typed, or an error saying what is expected. */
export function parseRaisedCap(text: string, pause: PauseInfo): { value: number } | { error: string } {
  const cost = pause.reason === 'cost-cap';
  // `$12` reads as 12 dollars.
  const t = cost ? text.trim().replace(/^\$\s*/, '') : text.trim();
  const n = t === '' ? NaN : Number(t);
  const above = cost ? `${capDollars(pause.spent)} spent` : `${pause.spent} agents so far`;
  if (!Number.isFinite(n) || (!cost && !Number.isInteger(n)))
    return {
      error: cost ? `Enter a number of US dollars above the ${above}.` : `Enter a whole number above the ${above}.`,
    };
  if (n <= pause.spent) return { error: `The new cap must be above the ${above}.` };
  return { value: n };
}

export async function raiseCapAndContinue(deps: ResumeDeps, runId?: string): Promise<string | undefined> {
  runId ??= await pickPausedRun(deps);
  if (!runId) return undefined;
  const paused = pauseOf(deps, runId);
  if (!paused) {
    void vscode.window.showInformationMessage(`Run ${runId} is not paused at a cap: use Resume Run to continue it.`);
    return undefined;
  }
  const { pause, name } = paused;
  const cost = pause.reason === 'cost-cap';
  const text = await deps.dialogs.input({
    title: `Raise Cap and Continue: ${plainLabel(name)}`,
    prompt: cost
      ? `Paused: ${capReachedText(pause)}. New cost cap in US dollars for the whole run:`
      : `Paused: ${capReachedText(pause)}. New agent cap for the whole run:`,
    value: String(raisedCap(pause)),
    ignoreFocusOut: true,
    validateInput: (t) => {
      const r = parseRaisedCap(t, pause);
      return 'error' in r ? r.error : undefined;
    },
  });
  if (text === undefined) return undefined;
  const parsed = parseRaisedCap(text, pause);
  if ('error' in parsed) {
    void vscode.window.showErrorMessage(parsed.error);
    return undefined;
  }
  const caps: RunCaps = cost ? { maxCostUsd: parsed.value } : { maxAgents: parsed.value };
  return resumeRun(deps, runId, { caps });
}

/** From the palette: the paused runs of this workspace, newest first. */
async function pickPausedRun(deps: ResumeDeps): Promise<string | undefined> {
  const paused = resumableRuns(deps.controller).filter((r) => r.status === 'paused');
  if (paused.length === 0) {
    void vscode.window.showInformationMessage('No workflow run of this workspace is paused at a cap.');
    return undefined;
  }
  const pick = await deps.dialogs.pick(
    paused.map((r) => ({
      label: plainLabel(r.name),
      description: r.paused ? capReachedText(r.paused) : '',
      detail: r.runId,
      runId: r.runId,
    })),
    { title: 'Raise Cap and Continue' },
  );
  return pick?.runId;
}
