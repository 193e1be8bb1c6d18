// Live checks of workflow scripts (issue 12 item 2): the diagnostics and their quick fixes, for the
// composition root in one call (the quick fix's command, createAgentFile, is in the command table).
import * as vscode from 'vscode';
import { AuthoringDiagnostics } from './authoringDiagnostics';
import { AuthoringFixes, createAgentFile } from './authoringFixes';

export { AuthoringDiagnostics, createAgentFile };

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
    ],
  };
}
