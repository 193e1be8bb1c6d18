// TypeScript server plugin (package.json contributes.typescriptServerPlugins): types the workflow
// globals in workflow scripts and nowhere else. For a workflow script — a `.js` file in a
// `.claude/workflows` folder or one starting with `export const meta =` — the language service
// reads the file's text with one import line appended (workflowImport.ts); every other file is
// read as it is, at the cost of one test of its first few KiB. Nothing is written to disk.
import * as path from 'node:path';
import type * as ts from 'typescript';
import { isInWorkflowsFolder, isWorkflowText } from '../shared/workflowText';
import { workflowImport } from './workflowImport';
import { agentTypeEntries, agentTypeLiteralAt } from './agentTypeCompletions';

/**
 * TypeScript's errors for what a workflow body may do: 1108 `return` outside a function; 1375,
 * 1309, 1375, 1378, 1431, 1432 top-level `await` / `for await` outside an ES module.
 */
const DIALECT_ALLOWS = new Set([1108, 1309, 1375, 1378, 1431, 1432]);

/** Enough of the head for `export const meta =` after a licence comment. */
const HEAD_CHARS = 8192;

export function isWorkflowScript(fileName: string, head: string): boolean {
  return fileName.endsWith('.js') && (isInWorkflowsFolder(fileName) || isWorkflowText(head));
}

interface Injected {
  text: string;
  snapshot: ts.IScriptSnapshot;
  /** Length of the file's own text: anything reported past it is about the appended line. */
  ownLength: number;
}

/** Decorates one project's language service; `declarationsPath` is workflow-api.d.ts (next to the bundle). */
export function createWorkflowService(
  tsModule: typeof ts,
  info: ts.server.PluginCreateInfo,
  declarationsPath: string,
): ts.LanguageService {
  const host = info.languageServiceHost;
  const readSnapshot = host.getScriptSnapshot.bind(host);
  const injected = new Map<string, Injected>();

  host.getScriptSnapshot = (fileName) => {
    const snapshot = readSnapshot(fileName);
    if (!snapshot || !fileName.endsWith('.js')) return snapshot;
    const length = snapshot.getLength();
    if (!isWorkflowScript(fileName, snapshot.getText(0, Math.min(length, HEAD_CHARS)))) {
      injected.delete(fileName);
      return snapshot;
    }
    const text = snapshot.getText(0, length);
    const hit = injected.get(fileName);
    if (hit && hit.text === text) return hit.snapshot;
    const withImport = text + workflowImport(tsModule, fileName, text, declarationsPath);
    const entry = { text, snapshot: tsModule.ScriptSnapshot.fromString(withImport), ownLength: length };
    injected.set(fileName, entry);
    return entry.snapshot;
  };

  const service = info.languageService;
  /**
   * Drops what is reported about the appended line (e.g. an unused import: the person cannot see
   * it) and what the dialect allows: a workflow body may `return` and `await` at the top level.
   */
  const ownOnly =
    <D extends ts.Diagnostic>(get: (fileName: string) => D[]) =>
    (fileName: string): D[] => {
      const all = get(fileName);
      const entry = injected.get(fileName);
      if (!entry) return all;
      return all.filter((d) => (d.start === undefined || d.start < entry.ownLength) && !DIALECT_ALLOWS.has(d.code));
    };

  const proxy: ts.LanguageService = Object.create(null);
  for (const key of Object.keys(service) as (keyof ts.LanguageService)[]) {
    const member = service[key];
    // A plain copy of each method, bound: the decorator pattern every TS plugin uses.
    (proxy as unknown as Record<string, unknown>)[key] = typeof member === 'function' ? member.bind(service) : member;
  }
  proxy.getSemanticDiagnostics = ownOnly((f) => service.getSemanticDiagnostics(f));
  proxy.getSyntacticDiagnostics = ownOnly((f) => service.getSyntacticDiagnostics(f));
  proxy.getSuggestionDiagnostics = ownOnly((f) => service.getSuggestionDiagnostics(f));
  proxy.getCompletionsAtPosition = (fileName, position, options, formatting) => {
    const result = service.getCompletionsAtPosition(fileName, position, options, formatting);
    if (!injected.has(fileName)) return result;
    const sourceFile = service.getProgram()?.getSourceFile(fileName);
    const literal = sourceFile && agentTypeLiteralAt(tsModule, sourceFile, position);
    if (!sourceFile || !literal) return result;
    const entries = agentTypeEntries(tsModule, fileName, sourceFile, literal);
    const known = new Set(entries.map((e) => e.name));
    return {
      isGlobalCompletion: false,
      isMemberCompletion: false,
      isNewIdentifierLocation: true,
      ...result,
      entries: [...entries, ...(result?.entries ?? []).filter((e) => !known.has(e.name))],
    };
  };
  proxy.getQuickInfoAtPosition = (fileName, position, ...rest) => {
    const quick = service.getQuickInfoAtPosition(fileName, position, ...rest);
    return quick && injected.has(fileName) ? withoutImportAlias(quick) : quick;
  };
  info.project.projectService.logger.info(`dynamic-workflows: typing workflow scripts with ${declarationsPath}`);
  return proxy;
}

/**
 * A workflow global reads as TypeScript shows an imported name — `(alias) agent(…)` and a last line
 * `import agent` — because the names come from the appended import. The person wrote no import:
 * show the declaration alone.
 */
export function withoutImportAlias(quick: ts.QuickInfo): ts.QuickInfo {
  const parts = quick.displayParts;
  if (!parts || parts.length < 4 || parts[0].text !== '(' || parts[1].text !== 'alias' || parts[2].text !== ')')
    return quick;
  let end = parts.length;
  for (let i = parts.length - 1; i > 3; i--) {
    if (parts[i].kind === 'lineBreak' && parts[i + 1]?.text === 'import') {
      end = i;
      break;
    }
  }
  const start = parts[3].kind === 'space' ? 4 : 3;
  return { ...quick, displayParts: parts.slice(start, end) };
}

/** The plugin factory tsserver calls with its own `typescript` module. */
export function init(modules: { typescript: typeof ts }): ts.server.PluginModule {
  const declarationsPath = path.join(__dirname, 'workflow-api.d.ts');
  return { create: (info) => createWorkflowService(modules.typescript, info, declarationsPath) };
}
