// The one rule for asking `args` before a run (Run Workflow… and the Saved view's Run).
import assert from 'node:assert/strict';
import { shouldAskArgs } from '../../../src/vscode/ui/argsQuestion';

describe('vscode/argsQuestion', () => {
  it('asks when the script reads args', () => {
    assert.equal(shouldAskArgs("export const meta = { name: 'a', description: 'd', phases: [] }\nreturn args\n"), true);
  });
  it('does not ask when args appear only in meta text or strings', () => {
    const src =
      "export const meta = { name: 'a', description: 'Takes no args', whenToUse: 'no args needed', phases: [] }\nreturn 'args'\n";
    assert.equal(shouldAskArgs(src), false);
  });
  it('asks when the text could not be read', () => {
    assert.equal(shouldAskArgs(undefined), true);
  });
});
