// A real TypeScript language service over files on disk, with the workflow plugin applied as
// tsserver applies it (create() gets the service and its host). For the plugin's unit tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { createWorkflowService } from '../../../src/tsPlugin/plugin';

export const DECLARATIONS = path.resolve(__dirname, '../../../../ts-plugin/workflow-api.d.ts');

export interface PluggedService {
  service: ts.LanguageService;
  /** Rewrites a file (a new version for the service). */
  write(file: string, text: string): void;
}

export function pluggedService(files: string[], options: ts.CompilerOptions): PluggedService {
  const versions = new Map<string, number>(files.map((f) => [f, 0]));
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => [...versions.keys()],
    getScriptVersion: (f) => String(versions.get(f) ?? 0),
    getScriptSnapshot: (f) => (fs.existsSync(f) ? ts.ScriptSnapshot.fromString(fs.readFileSync(f, 'utf8')) : undefined),
    getCurrentDirectory: () => path.dirname(files[0]),
    getCompilationSettings: () => options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  const plain = ts.createLanguageService(host, ts.createDocumentRegistry());
  const logger = { info: (): void => undefined };
  // Only what create() reads of tsserver's PluginCreateInfo: the service, its host and a logger.
  const info = { languageService: plain, languageServiceHost: host, project: { projectService: { logger } } };
  const service = createWorkflowService(ts, info as unknown as ts.server.PluginCreateInfo, DECLARATIONS);
  return {
    service,
    write(file, text) {
      fs.writeFileSync(file, text);
      versions.set(file, (versions.get(file) ?? 0) + 1);
    },
  };
}

/** The type text TypeScript shows when hovering `name`'s first occurrence in `file`. */
export function hoverText(service: ts.LanguageService, file: string, name: string): string {
  const text = fs.readFileSync(file, 'utf8');
  const at = text.indexOf(name);
  if (at < 0) throw new Error(`${name} is not in ${file}`);
  const info = service.getQuickInfoAtPosition(file, at);
  return ts.displayPartsToString(info?.displayParts ?? []) + '\n' + ts.displayPartsToString(info?.documentation ?? []);
}
