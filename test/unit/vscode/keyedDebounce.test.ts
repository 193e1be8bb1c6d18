// The per-document debounce both live-check collections use: one run per key after the last call.
import assert from 'node:assert/strict';
import { KeyedDebounce } from '../../../src/vscode/ui/keyedDebounce';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('vscode/keyedDebounce', () => {
  it('runs once per key after the latest call, keys independent', async () => {
    const d = new KeyedDebounce(30);
    const runs: string[] = [];
    d.schedule('a', () => runs.push('a1'));
    d.schedule('a', () => runs.push('a2'));
    d.schedule('b', () => runs.push('b1'));
    assert.ok(d.pending('a') && d.pending('b'));
    while (d.pending('a') || d.pending('b')) await wait(10);
    assert.deepEqual(runs.sort(), ['a2', 'b1']);
    d.dispose();
  });

  it('cancel and dispose drop pending calls', async () => {
    const d = new KeyedDebounce(20);
    const runs: string[] = [];
    d.schedule('a', () => runs.push('a'));
    d.schedule('b', () => runs.push('b'));
    d.cancel('a');
    assert.equal(d.pending('a'), false);
    d.dispose();
    assert.equal(d.pending('b'), false);
    await wait(80);
    assert.deepEqual(runs, []);
  });
});
