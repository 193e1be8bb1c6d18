// The large-run thresholds (issue 11 item 3) from the settings: the person's value, or the default,
// tightened by any workspace or folder value — a cloned repository may ask more often, never less.
import * as vscode from 'vscode';
import { DEFAULT_CONFIRM_THRESHOLDS, stricterThreshold, type ConfirmThresholds } from '../../core';
import { SECTION } from './settings';

export function confirmThresholds(scope?: vscode.ConfigurationScope): ConfirmThresholds {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const read = (key: string, fallback: number) => {
    const i = c.inspect<unknown>(key);
    return stricterThreshold(fallback, i?.globalValue, i?.workspaceValue, i?.workspaceFolderValue);
  };
  return {
    agents: read('confirmAboveAgents', DEFAULT_CONFIRM_THRESHOLDS.agents),
    tokens: read('confirmAboveTokens', DEFAULT_CONFIRM_THRESHOLDS.tokens),
  };
}
