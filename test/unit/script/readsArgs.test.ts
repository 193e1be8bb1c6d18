// readsArgs: which scripts get the args prompt in Run Workflow… (references count; keys, members, labels do not).
import assert from 'node:assert/strict';
import { readsArgs } from '../../../src/core/script/readsArgs';

const META = "export const meta = { name: 'x', description: 'd' };\n";

describe('readsArgs', () => {
  const reading: [string, string][] = [
    ['a plain reference', 'const files = args ?? [];'],
    ['typeof args', "const a = typeof args === 'string' ? JSON.parse(args) : args;"],
    ['a shorthand property', 'await agent("x", { schema: { args } });'],
    ['a template literal', 'await agent(`Work on ${args}`);'],
    ['a computed key', 'const o = { [args]: 1 };'],
    ['globalThis.args', 'log(globalThis.args);'],
    ["globalThis['args']", "log(globalThis['args']);"],
    ['inside a nested function', 'const f = () => () => args.length;'],
  ];
  for (const [what, body] of reading) {
    it(`sees ${what}`, () => assert.equal(readsArgs(META + body), true));
  }

  const notReading: [string, string][] = [
    ['a script without args', 'await agent("Summarise the repo");'],
    ['args in a string and a comment', '// args are ignored\nawait agent("no args here");'],
    ['a member named args', 'const o = {}; log(o.args);'],
    ['an object key named args', 'log({ args: 1 });'],
    ['a class member named args', 'class A { args = 1; args2() {} }'],
    ['a label named args', 'args: for (;;) { break args; }'],
  ];
  for (const [what, body] of notReading) {
    it(`ignores ${what}`, () => assert.equal(readsArgs(META + body), false));
  }

  it('assumes a script that does not parse reads args (asking is the safe side)', () => {
    assert.equal(readsArgs(META + 'const = ;'), true);
  });
});
