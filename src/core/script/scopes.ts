// Which names a script declares where, so a check about the global `agent`, `Date` or `Math`
// stays quiet where the script declared its own (real scripts shadow primitives with helpers).
// Deliberately generous: a name declared anywhere in a scope (hoisted or not, function
// declarations in blocks counted for the whole function) shadows it there, so the doubt always
// falls on "not the global" and a check never flags the script's own name.
import type * as acorn from 'acorn';
import { childNodes, walk } from './walk';

type Node = acorn.AnyNode;
type FunctionNode = acorn.FunctionDeclaration | acorn.FunctionExpression | acorn.ArrowFunctionExpression;

/** A scope's own names and the scope around it. */
export interface Scope {
  names: ReadonlySet<string>;
  parent: Scope | undefined;
}

export function isBound(scope: Scope | undefined, name: string): boolean {
  for (let s = scope; s; s = s.parent) if (s.names.has(name)) return true;
  return false;
}

function isFunction(node: Node): node is FunctionNode {
  return (
    node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression'
  );
}

/** The names a binding pattern (`a`, `{ a, b: [c] }`, `...d`, `e = 1`) declares. */
export function patternNames(pattern: Node | null | undefined, out: Set<string>): void {
  if (!pattern) return;
  switch (pattern.type) {
    case 'Identifier':
      out.add(pattern.name);
      break;
    case 'ObjectPattern':
      for (const p of pattern.properties) patternNames(p.type === 'RestElement' ? p.argument : p.value, out);
      break;
    case 'ArrayPattern':
      for (const el of pattern.elements) patternNames(el, out);
      break;
    case 'AssignmentPattern':
      patternNames(pattern.left, out);
      break;
    case 'RestElement':
      patternNames(pattern.argument, out);
      break;
  }
}

/** `var`s and function declarations anywhere in a function's body, not inside nested functions. */
function hoisted(body: Node, out: Set<string>): void {
  walk(body, (node) => {
    if (node !== body && isFunction(node)) {
      if (node.type === 'FunctionDeclaration' && node.id) out.add(node.id.name);
      return false;
    }
    if (node.type === 'VariableDeclaration' && node.kind === 'var')
      for (const d of node.declarations) patternNames(d.id, out);
  });
}

/** let/const/class/function declared directly in a statement list. */
function lexical(statements: readonly Node[], out: Set<string>): void {
  for (let s of statements) {
    if (s.type === 'ExportNamedDeclaration' && s.declaration) s = s.declaration;
    if (s.type === 'VariableDeclaration') for (const d of s.declarations) patternNames(d.id, out);
    else if ((s.type === 'ClassDeclaration' || s.type === 'FunctionDeclaration') && s.id) out.add(s.id.name);
  }
}

/** The names `node` declares for its own scope, or undefined when it opens none. */
export function scopeNames(node: Node): Set<string> | undefined {
  const out = new Set<string>();
  switch (node.type) {
    case 'Program':
      hoisted(node, out);
      lexical(node.body, out);
      return out;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      for (const p of node.params) patternNames(p, out);
      if (node.type === 'FunctionExpression' && node.id) out.add(node.id.name);
      if (node.type !== 'ArrowFunctionExpression') out.add('arguments');
      hoisted(node.body, out);
      return out;
    case 'BlockStatement':
    case 'StaticBlock':
      lexical(node.body, out);
      return out;
    case 'SwitchStatement':
      for (const c of node.cases) lexical(c.consequent, out);
      return out;
    case 'ForStatement':
      if (node.init?.type === 'VariableDeclaration') lexical([node.init], out);
      return out;
    case 'ForInStatement':
    case 'ForOfStatement':
      if (node.left.type === 'VariableDeclaration') lexical([node.left], out);
      return out;
    case 'CatchClause':
      patternNames(node.param, out);
      return out;
    case 'ClassDeclaration':
    case 'ClassExpression':
      if (node.id) out.add(node.id.name);
      return out;
    default:
      return undefined;
  }
}

export type ScopedVisitor = (node: Node, parent: Node | null, scope: Scope | undefined) => void;

/** Pre-order walk in source order, handing each node the scope around it (not the one it opens). */
export function walkScoped(root: Node, visit: ScopedVisitor): void {
  // Explicit stacks, as in walk.ts: deep expression chains must not exhaust the call stack.
  const nodes: Node[] = [root];
  const parents: Array<Node | null> = [null];
  const scopes: Array<Scope | undefined> = [undefined];
  while (nodes.length) {
    const node = nodes.pop()!;
    const parent = parents.pop()!;
    const scope = scopes.pop();
    visit(node, parent, scope);
    const names = scopeNames(node);
    const inner = names && names.size ? { names, parent: scope } : scope;
    const children = childNodes(node);
    for (let i = children.length - 1; i >= 0; i--) {
      nodes.push(children[i]);
      parents.push(node);
      scopes.push(inner);
    }
  }
}
