// Whether a script reads its global `args` (spec §2.5): Run Workflow… asks for args only then.
// Read from the AST, so `args` in strings, comments, property keys (`x.args`, `{ args: 1 }`) does
// not count; a script that does not parse is assumed to read them (asking is the safe side).
import * as acorn from 'acorn';
import { ACORN_OPTIONS } from './syntax';
import { walk } from './walk';

type Node = acorn.AnyNode;

/** An Identifier named args that is a reference, not a key, a member name or a label. */
function isReference(node: acorn.Identifier, parent: Node | null): boolean {
  if (!parent) return true;
  switch (parent.type) {
    case 'MemberExpression':
      return parent.object === node || parent.computed;
    case 'Property':
      return parent.value === node || parent.computed || parent.shorthand;
    case 'MethodDefinition':
    case 'PropertyDefinition':
      return parent.key !== node || parent.computed;
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
      return false;
    default:
      return true;
  }
}

/** `globalThis.args` / `globalThis['args']` reach the same global. */
function isGlobalThisArgs(node: Node): boolean {
  if (node.type !== 'MemberExpression' || node.object.type !== 'Identifier' || node.object.name !== 'globalThis')
    return false;
  const p = node.property;
  return node.computed ? p.type === 'Literal' && p.value === 'args' : p.type === 'Identifier' && p.name === 'args';
}

export function readsArgs(source: string): boolean {
  let program: acorn.Program;
  try {
    program = acorn.parse(source.replace(/\r\n/g, '\n'), ACORN_OPTIONS);
  } catch {
    return true;
  }
  let found = false;
  walk(program, (node, parent) => {
    if (found) return false;
    if ((node.type === 'Identifier' && node.name === 'args' && isReference(node, parent)) || isGlobalThisArgs(node))
      found = true;
    return !found;
  });
  return found;
}
