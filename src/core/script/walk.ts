// The one AST walker of core/script: visits every node object reachable through a node's
// properties, in source order, with its parent and depth. Hand-written rather than acorn-walk:
// that library's base visitor skips non-computed property keys, member properties and labels
// (the reserved-identifier check must see them), and has no parent, depth or skip-children
// in one walk; reading properties generically also covers syntax newer than any visitor table.
import type * as acorn from 'acorn';

export type Visitor = (node: acorn.AnyNode, parent: acorn.AnyNode | null, depth: number) => boolean | void;

function isNode(value: unknown): value is acorn.AnyNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * Pre-order walk. Returning `false` from the visitor skips that node's children. Children are
 * visited in source order (sorted by start), so "the first problem found" is the first in the file.
 */
export function walk(root: acorn.AnyNode, visit: Visitor): void {
  // Parallel stacks instead of tuples: this runs over every node of scripts up to 512 KiB.
  const nodes: acorn.AnyNode[] = [root];
  const parents: Array<acorn.AnyNode | null> = [null];
  const depths: number[] = [0];
  const children: acorn.AnyNode[] = [];
  while (nodes.length) {
    const node = nodes.pop()!;
    const parent = parents.pop()!;
    const depth = depths.pop()!;
    if (visit(node, parent, depth) === false) continue;
    children.length = 0;
    collectChildren(node, children);
    // Reverse onto the stack so the earliest child is visited next.
    for (let i = children.length - 1; i >= 0; i--) {
      nodes.push(children[i]);
      parents.push(node);
      depths.push(depth + 1);
    }
  }
}

/** A node's direct children in source order, for walks that decide themselves where to descend. */
export function childNodes(node: acorn.AnyNode): acorn.AnyNode[] {
  const out: acorn.AnyNode[] = [];
  collectChildren(node, out);
  return out;
}

/** Appends the children of `node` to `out` (empty on entry), sorted by start. */
function collectChildren(node: acorn.AnyNode, out: acorn.AnyNode[]): void {
  let ordered = true;
  // A shorthand property's key is a copy of (or the same node as) its value: visit the text once.
  const shorthand = node.type === 'Property' && node.shorthand;
  for (const key in node) {
    if (key === 'loc' || key === 'range' || (shorthand && key === 'key')) continue;
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) ordered = push(out, item) && ordered;
    } else if (isNode(value)) {
      ordered = push(out, value) && ordered;
    }
  }
  if (!ordered) out.sort((a, b) => a.start - b.start);
}

/** Appends `child`; false when it starts before the previous child (the list needs sorting). */
function push(children: acorn.AnyNode[], child: acorn.AnyNode): boolean {
  const last = children[children.length - 1];
  children.push(child);
  return !last || last.start <= child.start;
}
