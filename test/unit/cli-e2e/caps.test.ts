// `dwf run|resume --max-agents/--max-cost` end to end (issue 11 item 2): the shipped binary pauses
// at a cap with exit 3 and says how to continue; a resume with a raised cap finishes, and the fake
// server's request counts show no agent ran twice.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeExit, dwfFixture, requestsByPrompt, runDwf, summaryOf } from './harness';

const FOUR = `export const meta = { name: 'e2e-caps', description: 'four agents in a row' }
const out = []
for (const w of ['one', 'two', 'three', 'four']) out.push(await agent('word ' + w, { label: w }))
return out
`;

describe('cli e2e: caps that pause (dwf --max-agents, --max-cost)', function () {
  this.timeout(60_000);
  const f = dwfFixture();

  it('run --max-agents 2 pauses with exit 3 and the resume hint; resume --max-agents 4 finishes, nothing re-run', async () => {
    f.repo.write('wf.js', FOUR);
    const paused = await runDwf(f.repo, ['run', 'wf.js', '--json', '--max-agents', '2'], { server: f.server });
    assert.equal(paused.code, 3, describeExit(paused));
    const s = summaryOf(paused);
    assert.equal(s.status, 'paused');
    assert.deepEqual(s.paused, { reason: 'agent-cap', limit: 2, spent: 2 });
    assert.equal(s.agents.done, 2);
    assert.match(paused.stderr, /Paused: agent cap 2 reached \(2 agents\)/);
    assert.ok(paused.stderr.includes(`dwf resume ${s.runId} --max-agents 4`), paused.stderr);
    assert.equal(f.server.requests.length, 2);
    const record = JSON.parse(
      fs.readFileSync(path.join(f.repo.root, '.claude', 'workflow-runs', s.runId, 'run.json'), 'utf8'),
    ) as { status: string; paused?: unknown };
    assert.equal(record.status, 'paused');
    assert.deepEqual(record.paused, { reason: 'agent-cap', limit: 2, spent: 2 });

    // `dwf resume <id>` with no flag keeps the cap stored in run.json: it pauses again, nothing sent.
    const again = await runDwf(f.repo, ['resume', s.runId, '--json'], { server: f.server });
    assert.equal(again.code, 3, describeExit(again));
    assert.deepEqual(summaryOf(again).paused, { reason: 'agent-cap', limit: 2, spent: 2 });
    assert.equal(f.server.requests.length, 2);

    const resumed = await runDwf(f.repo, ['resume', s.runId, '--json', '--max-agents', '4'], { server: f.server });
    assert.equal(resumed.code, 0, describeExit(resumed));
    const r = summaryOf(resumed);
    assert.equal(r.status, 'completed');
    assert.equal(r.paused, undefined);
    assert.deepEqual(r.result, ['echo:word one', 'echo:word two', 'echo:word three', 'echo:word four']);
    assert.equal(r.agents.cached, 2);
    assert.deepEqual([...requestsByPrompt(f.server).entries()].sort(), [
      ['word four', 1],
      ['word one', 1],
      ['word three', 1],
      ['word two', 1],
    ]);
  });

  it('run --max-cost pauses on the cost cap with exit 3 and a --max-cost hint', async () => {
    f.repo.write('wf.js', FOUR);
    const exit = await runDwf(f.repo, ['run', 'wf.js', '--json', '--max-cost', '0.000001'], { server: f.server });
    assert.equal(exit.code, 3, describeExit(exit));
    const s = summaryOf(exit);
    assert.equal(s.paused?.reason, 'cost-cap');
    assert.equal(s.paused?.limit, 0.000001);
    assert.ok((s.paused?.spent ?? 0) > 0.000001);
    assert.equal(f.server.requests.length, 1, 'the second agent was held');
    assert.match(exit.stderr, /Paused: cost cap \$0\.000001 reached \(\$0\.\d+ spent\)/);
    const hint = new RegExp(`dwf resume ${s.runId} --max-cost (\\S+)`).exec(exit.stderr);
    assert.ok(hint && Number(hint[1]) >= 2 * (s.paused?.spent ?? 0), exit.stderr);

    // No flag: the stored cost cap holds the next agent again.
    const again = await runDwf(f.repo, ['resume', s.runId, '--json'], { server: f.server });
    assert.equal(again.code, 3, describeExit(again));
    assert.equal(summaryOf(again).paused?.reason, 'cost-cap');
    assert.equal(f.server.requests.length, 1, 'nothing was sent on the uncapped-by-omission resume');

    // The suggested command, as printed, finishes the run (later agents read the prompt cache: cheaper).
    const resumed = await runDwf(f.repo, ['resume', s.runId, '--json', '--max-cost', hint[1]], { server: f.server });
    assert.equal(resumed.code, 0, describeExit(resumed));
    assert.equal(summaryOf(resumed).status, 'completed');
    assert.equal(f.server.requests.length, 4, 'each agent reached the model exactly once');
  });

  for (const [flag, value] of [
    ['--max-cost', 'lots'],
    ['--max-cost', '0'],
    ['--max-cost', '-5'],
    ['--max-agents', '2.5'],
    ['--max-agents', '0'],
  ] as const) {
    it(`rejects ${flag} ${value} with a usage error, exit 2, before any agent runs`, async () => {
      f.repo.write('wf.js', FOUR);
      const exit = await runDwf(f.repo, ['run', 'wf.js', `${flag}=${value}`], { server: f.server });
      assert.equal(exit.code, 2, describeExit(exit));
      assert.match(exit.stderr, new RegExp(`${flag} expects`));
      assert.equal(f.server.requests.length, 0);
    });
  }
});
