// The one line the plugin adds — in the language service's view only, never on disk — to the end of
// a workflow script: an import of the workflow globals from the declarations file. Imports are
// hoisted, so the names are in scope in the whole file, and appended text leaves every position of
// the person's own text where it was. A name the script declares itself at the top is left out, so
// the import never conflicts with it.
import type * as ts from 'typescript';

export const WORKFLOW_GLOBALS = [
  'agent',
  'parallel',
  'pipeline',
  'phase',
  'log',
  'workflow',
  'budget',
  'args',
] as const;

/** Names declared by the file's top-level statements (variables, functions, classes, imports). */
export function topLevelNames(tsModule: typeof ts, sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const addBinding = (name: ts.BindingName): void => {
    if (tsModule.isIdentifier(name)) names.add(name.text);
    else for (const el of name.elements) if (!tsModule.isOmittedExpression(el)) addBinding(el.name);
  };
  for (const st of sourceFile.statements) {
    if (tsModule.isVariableStatement(st)) st.declarationList.declarations.forEach((d) => addBinding(d.name));
    else if ((tsModule.isFunctionDeclaration(st) || tsModule.isClassDeclaration(st)) && st.name)
      names.add(st.name.text);
    else if (tsModule.isImportDeclaration(st) && st.importClause) {
      const clause = st.importClause;
      if (clause.name) names.add(clause.name.text);
      const bindings = clause.namedBindings;
      if (bindings && tsModule.isNamespaceImport(bindings)) names.add(bindings.name.text);
      else if (bindings) bindings.elements.forEach((e) => names.add(e.name.text));
    }
  }
  return names;
}

/**
 * The appended text for a workflow script: a newline, then the import of every global the script
 * does not declare itself. `declarationsPath` is the absolute path of workflow-api.d.ts; it is
 * imported as `.js`, which every module resolution mode maps to the `.d.ts`.
 */
export function workflowImport(tsModule: typeof ts, fileName: string, text: string, declarationsPath: string): string {
  const own = topLevelNames(
    tsModule,
    tsModule.createSourceFile(fileName, text, tsModule.ScriptTarget.Latest, false, tsModule.ScriptKind.JS),
  );
  const names = WORKFLOW_GLOBALS.filter((n) => !own.has(n));
  if (names.length === 0) return '';
  const specifier = declarationsPath.replace(/\\/g, '/').replace(/\.d\.ts$/, '.js');
  return `\n;import { ${names.join(', ')} } from ${JSON.stringify(specifier)};\n`;
}
