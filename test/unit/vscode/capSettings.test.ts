// The cap settings (issue 11): the strictest value wins, a workspace may lower the user's cap but
// never raise or remove it, and a value that is not a cap is a problem naming the setting and where.
import assert from 'node:assert/strict';
import { readCapSettings, type CapKey, type InspectedValue } from '../../../src/vscode/settings/capSettings';

const read = (values: Partial<Record<CapKey, InspectedValue>>) => readCapSettings((key) => values[key]);

describe('vscode: the cap settings (maxCostUsd, maxAgents)', () => {
  it('reads no cap when nothing is set, or 0 / null', () => {
    assert.deepEqual(read({}), { caps: {}, problems: [] });
    assert.deepEqual(read({ maxCostUsd: { globalValue: 0 }, maxAgents: { workspaceValue: null } }), {
      caps: {},
      problems: [],
    });
  });

  it("takes the user's caps", () => {
    assert.deepEqual(read({ maxCostUsd: { globalValue: 5 }, maxAgents: { globalValue: 40 } }).caps, {
      maxCostUsd: 5,
      maxAgents: 40,
    });
  });

  it('lets a workspace or folder lower a cap, never raise or remove it', () => {
    assert.deepEqual(read({ maxCostUsd: { globalValue: 5, workspaceValue: 2 } }).caps, { maxCostUsd: 2 });
    assert.deepEqual(read({ maxCostUsd: { globalValue: 5, workspaceValue: 50 } }).caps, { maxCostUsd: 5 });
    assert.deepEqual(read({ maxCostUsd: { globalValue: 5, workspaceValue: 0 } }).caps, { maxCostUsd: 5 });
    assert.deepEqual(read({ maxAgents: { globalValue: 40, workspaceValue: 30, workspaceFolderValue: 10 } }).caps, {
      maxAgents: 10,
    });
    assert.deepEqual(read({ maxAgents: { workspaceValue: 12 } }).caps, { maxAgents: 12 });
  });

  it('reports a value that is not a cap, naming the setting, where it is, and what it should be', () => {
    const r = read({
      maxCostUsd: { globalValue: 'lots' },
      maxAgents: { globalValue: 40, workspaceFolderValue: 2.5 },
    });
    assert.equal(r.problems.length, 2);
    assert.match(
      r.problems[0],
      /^dynamicWorkflows\.maxCostUsd in your user settings is "lots": expected a number of US dollars above 0/,
    );
    assert.match(
      r.problems[1],
      /^dynamicWorkflows\.maxAgents in this folder's \.vscode\/settings\.json is 2\.5: expected a whole number/,
    );
    assert.deepEqual(r.caps, { maxAgents: 40 });
    assert.equal(read({ maxCostUsd: { workspaceValue: -1 } }).problems.length, 1);
    assert.equal(read({ maxAgents: { globalValue: Number.NaN } }).problems.length, 1);
  });
});
