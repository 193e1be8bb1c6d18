// Completion of `agentType` values inside `agent(…, { agentType: '|' })`: the built-in agent types
// and the `.claude/agents/*.md` definitions the run would find (project and personal), read from
// disk at each request, so a new agent file is offered at once.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as ts from 'typescript';
import { loadAgentDefinitions } from '../agent/agentTypes';

/** The innermost node whose text contains `position` (a position at a node's end counts). */
function nodeAt(tsModule: typeof ts, sourceFile: ts.SourceFile, position: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (node.getStart(sourceFile) <= position && position <= node.getEnd()) {
      found = node;
      tsModule.forEachChild(node, visit);
    }
  };
  tsModule.forEachChild(sourceFile, visit);
  return found;
}

/** The string literal at `position` when it is the value of `agentType` in an `agent()` call's options. */
export function agentTypeLiteralAt(
  tsModule: typeof ts,
  sourceFile: ts.SourceFile,
  position: number,
): ts.StringLiteralLike | undefined {
  const node = nodeAt(tsModule, sourceFile, position);
  if (!node || !tsModule.isStringLiteralLike(node) || position <= node.getStart(sourceFile)) return undefined;
  const prop = node.parent;
  if (!tsModule.isPropertyAssignment(prop) || prop.initializer !== node) return undefined;
  if (!(tsModule.isIdentifier(prop.name) || tsModule.isStringLiteral(prop.name)) || prop.name.text !== 'agentType')
    return undefined;
  const call = prop.parent.parent;
  if (!tsModule.isCallExpression(call) || !tsModule.isIdentifier(call.expression) || call.expression.text !== 'agent')
    return undefined;
  return node;
}

/** The folder whose `.claude/agents` a run of this script reads: the nearest one above it with a `.claude` folder. */
export function projectRootOf(fileName: string): string | undefined {
  for (let dir = path.dirname(fileName); ; dir = path.dirname(dir)) {
    try {
      if (fs.statSync(path.join(dir, '.claude')).isDirectory()) return dir;
    } catch {
      // no .claude here: look further up
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Completion entries for every agent type a run of `fileName` can name, replacing the literal's text. */
export function agentTypeEntries(
  tsModule: typeof ts,
  fileName: string,
  sourceFile: ts.SourceFile,
  literal: ts.StringLiteralLike,
): ts.CompletionEntry[] {
  const root = projectRootOf(fileName) ?? path.dirname(fileName);
  const { agents } = loadAgentDefinitions(root);
  const start = literal.getStart(sourceFile) + 1;
  const text = literal.getText(sourceFile);
  const closed = text.length >= 2 && text[text.length - 1] === text[0];
  const replacementSpan = { start, length: Math.max(0, literal.getEnd() - start - (closed ? 1 : 0)) };
  return [...agents.values()].map((def) => ({
    name: def.name,
    kind: tsModule.ScriptElementKind.string,
    kindModifiers: '',
    sortText: '0',
    replacementSpan,
    labelDetails: def.description ? { description: def.description.slice(0, 80) } : undefined,
  }));
}
