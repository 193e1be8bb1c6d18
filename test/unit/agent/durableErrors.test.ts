// Issue 13: an error a recorded step threw is stored as the step's value (JSON in the engine) and
// thrown again on replay as the loop's own class, so the agent ends as it did live (a stall stays an
// error, a refused request stays agent() → null).
import assert from 'node:assert/strict';
import { recordThrow, reviveThrow, type RecordedThrow } from '../../../src/agent/durable';
import { StallError, TerminalApiError } from '../../../src/agent/request';

/** What the engine keeps and hands back: JSON. */
const throughTheEngine = (e: unknown): Error =>
  reviveThrow(JSON.parse(JSON.stringify(recordThrow(e))) as RecordedThrow);

describe('recorded step errors (durable.ts)', () => {
  it('a refused request replays as a TerminalApiError with its message', () => {
    const back = throughTheEngine(new TerminalApiError('400 invalid_request_error: bad'));
    assert.ok(back instanceof TerminalApiError);
    assert.equal(back.message, '400 invalid_request_error: bad');
  });

  it('a stall replays as a StallError with its message', () => {
    const live = new StallError(3, 1000);
    const back = throughTheEngine(live);
    assert.ok(back instanceof StallError);
    assert.equal(back.message, live.message);
    assert.equal(back.name, 'AgentStallError');
  });

  it('any other error keeps its name and message', () => {
    const back = throughTheEngine(Object.assign(new Error('disk full'), { name: 'SystemError' }));
    assert.equal(back.name, 'SystemError');
    assert.equal(back.message, 'disk full');
    assert.equal(throughTheEngine('a string').message, 'a string');
  });
});
