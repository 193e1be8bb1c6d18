// Live checks of workflow scripts (issue 12 item 2): the diagnostics and their quick fixes, for the
// composition root in one call.
import * as vscode from 'vscode';
import { AuthoringDiagnostics } from './authoringDiagnostics';
import { AuthoringFixes, CREATE_AGENT_FILE, createAgentFile } from './authoringFixes';

export { AuthoringDiagnostics };

export function registerAuthoringChecks(options: { bundledDir?: string; log?: (message: string) => void }): {
  diagnostics: AuthoringDiagnostics;
  disposables: vscode.Disposable[];
} {
  const diagnostics = new AuthoringDiagnostics(options);
  return {
    diagnostics,
    disposables: [
      diagnostics,
      vscode.languages.registerCodeActionsProvider(
        { scheme: 'file', pattern: '**/*.js' },
        new AuthoringFixes(diagnostics),
        { providedCodeActionKinds: AuthoringFixes.kinds },
      ),
      vscode.commands.registerCommand(CREATE_AGENT_FILE, (script: vscode.Uri, name: string) =>
        createAgentFile(diagnostics, script, name),
      ),
    ],
  };
}
