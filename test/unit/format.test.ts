import assert from 'node:assert/strict';
import { count, duration, usd } from '../../src/core/format';

describe('format', () => {
  it('shows money without hiding tiny spend', () => {
    assert.equal(usd(0), '$0.00');
    assert.equal(usd(0.00003), '<$0.0001');
    assert.equal(usd(0.0042), '$0.0042');
    assert.equal(usd(1.234), '$1.23');
  });
  it('shortens counts and durations', () => {
    assert.deepEqual([count(950), count(12345), count(4_560_000)], ['950', '12.3k', '4.56M']);
    assert.deepEqual([duration(400), duration(12_000), duration(185_000)], ['0.4s', '12s', '3m05s']);
  });
});
