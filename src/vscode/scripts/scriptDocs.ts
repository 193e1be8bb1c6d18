// Which editor documents are workflow scripts: `.js` files whose first statement is
// `export const meta = …`. Checked on the text's head only (comments and a hashbang may come first),
// so a script whose meta or body does not parse still counts — its diagnostics say why.
import type * as vscode from 'vscode';
import { isWorkflowText } from '../../shared/workflowText';

export { isWorkflowText };

export function isWorkflowDocument(doc: vscode.TextDocument): boolean {
  return doc.uri.path.endsWith('.js') && isWorkflowText(doc.getText());
}

/** The documents CodeLens and diagnostics look at (refined by isWorkflowDocument). */
export const SCRIPT_SELECTOR: vscode.DocumentSelector = { scheme: 'file', pattern: '**/*.js' };
