// runShape: the model and concurrency lines of the pre-run dialog and the run node tooltip.
import assert from 'node:assert/strict';
import { concurrencyLine, modelLine, runShape } from '../../../src/vscode/runs/runShape';

describe('runShape', () => {
  it('a 2-core machine runs two agents at a time by default, and says which setting changes it', () => {
    const shape = runShape({}, 2);
    assert.equal(shape.concurrency, 2);
    assert.equal(
      concurrencyLine(shape),
      'Concurrency: 2 agents at a time (2 CPU cores); set dynamicWorkflows.concurrency to change it',
    );
  });

  it('the default follows min(16, max(2, cores − 2))', () => {
    assert.equal(runShape({}, 8).concurrency, 6);
    assert.equal(runShape({}, 64).concurrency, 16);
    assert.equal(runShape({}, 1).concurrency, 2);
  });

  it('a set concurrency names the setting', () => {
    assert.equal(
      concurrencyLine(runShape({ concurrency: 1 }, 8)),
      'Concurrency: 1 agent at a time (dynamicWorkflows.concurrency)',
    );
  });

  it('the model is the full id: the default, or the setting with its alias resolved', () => {
    assert.match(
      modelLine(runShape({}, 2)),
      /^Model: claude-\S+ for agents that name none \(the default; set dynamicWorkflows\.model to change it\)$/,
    );
    assert.equal(
      modelLine(runShape({ model: 'opus' }, 2)),
      'Model: claude-opus-5-5 for agents that name none (dynamicWorkflows.model is "opus")',
    );
    assert.equal(
      modelLine(runShape({ model: 'claude-haiku-4-5' }, 2)),
      'Model: claude-haiku-4-5 for agents that name none (dynamicWorkflows.model is set)',
    );
  });
});
