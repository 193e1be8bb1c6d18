// The one AST walker: every node (property keys and labels included), in source order, with
// parent and depth; `false` skips a subtree; childNodes gives the same children one level at a time.
import assert from 'node:assert/strict';
import * as acorn from 'acorn';
import { childNodes, walk } from '../../../src/core/script/walk';
import { ACORN_OPTIONS } from '../../../src/core/script/syntax';

const parse = (src: string) => acorn.parse(src, ACORN_OPTIONS);

describe('script/walk', () => {
  it('visits identifiers in keys, member properties and labels, in source order', () => {
    const names: string[] = [];
    walk(parse('outer: for (;;) { const o = { k: a.p, [c]: 1, short }; break outer }'), (node) => {
      if (node.type === 'Identifier') names.push(node.name);
    });
    // `short` once: a shorthand property holds one node as key and value.
    assert.deepEqual(names, ['outer', 'o', 'k', 'a', 'p', 'c', 'short', 'outer']);
  });

  it('passes parent and depth, and skips a subtree when the visitor returns false', () => {
    const seen: string[] = [];
    walk(parse('f(1); function g() { h(2) }'), (node, parent, depth) => {
      seen.push(`${depth}:${node.type}<${parent?.type ?? '-'}`);
      return node.type !== 'FunctionDeclaration';
    });
    assert.deepEqual(seen, [
      '0:Program<-',
      '1:ExpressionStatement<Program',
      '2:CallExpression<ExpressionStatement',
      '3:Identifier<CallExpression',
      '3:Literal<CallExpression',
      '1:FunctionDeclaration<Program',
    ]);
  });

  it('orders children by position even where the AST lists them otherwise', () => {
    // A template literal keeps quasis and expressions in two lists; source order interleaves them.
    const [stmt] = parse('`a${x}b${y}c`').body;
    assert.equal(stmt.type, 'ExpressionStatement');
    const kids = childNodes(stmt.type === 'ExpressionStatement' ? stmt.expression : stmt);
    assert.deepEqual(
      kids.map((n) => n.type),
      ['TemplateElement', 'Identifier', 'TemplateElement', 'Identifier', 'TemplateElement'],
    );
    assert.ok(kids.every((n, i) => i === 0 || kids[i - 1].start <= n.start));
  });
});
