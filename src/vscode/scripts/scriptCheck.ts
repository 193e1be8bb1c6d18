// The engine's verdict on a workflow document's text, computed once per document version:
// diagnostics and CodeLens both ask after every edit, and a full parse of a big script is not free.
import * as vscode from 'vscode';
import { ScriptError, ScriptSyntaxError, parseWorkflowScript } from '../../core';

const verdicts = new WeakMap<vscode.TextDocument, { version: number; problem: ScriptError | undefined }>();

/** Why the engine would refuse to run this document's text; undefined when it would run it. */
export function scriptProblem(doc: vscode.TextDocument): ScriptError | undefined {
  const hit = verdicts.get(doc);
  if (hit && hit.version === doc.version) return hit.problem;
  let problem: ScriptError | undefined;
  try {
    parseWorkflowScript(doc.getText(), doc.uri.fsPath);
  } catch (e) {
    if (!(e instanceof ScriptError)) throw e;
    problem = e;
  }
  verdicts.set(doc, { version: doc.version, problem });
  return problem;
}

/**
 * Whether TypeScript's JavaScript service already marks this plain syntax error in the editor:
 * it checks the syntax of every .js file while `javascript.validate.enable` is on (the default),
 * so a second marker would say the same thing twice. Workflow rules (meta, imports, `with`, HTML
 * comments) are ours alone and always shown; without the built-in extension we show syntax too.
 */
export function reportedByTypeScript(doc: vscode.TextDocument, problem: ScriptError): boolean {
  if (!(problem instanceof ScriptSyntaxError)) return false;
  if (!vscode.extensions.getExtension('vscode.typescript-language-features')) return false;
  return vscode.workspace.getConfiguration('javascript', doc).get<boolean>('validate.enable', true);
}
