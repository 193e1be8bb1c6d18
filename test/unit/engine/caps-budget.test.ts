// The 1000-agent cap (cached agents count too), the token budget ceiling (budget.total,
// spent(), remaining(), sequential refusal, parallel slots dropped) and the default concurrency
// (spec §3.7, §4.1; Appendix B row 10).
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { createHarness, agentEvents, logLines, type Harness } from '../../fakes/engineHarness';
import { AGENT_CAP_ERROR, BUDGET_ERROR, MESSAGES } from '../../../src/core/errors';
import { ConcurrencyGate } from '../../../src/shared/concurrencyGate';

const THOUSAND = `await parallel(Array.from({ length: 1000 }, (_, i) => () => agent('a' + i)))`;

describe('engine: agent cap, budget and concurrency', () => {
  let h: Harness;
  beforeEach(() => (h = createHarness()));
  afterEach(() => h.cleanup());

  describe('agent cap', () => {
    it('rejects agent() number 1001 with WorkflowAgentCapError and the official text', async () => {
      const r = await h.run(`
        ${THOUSAND}
        try { await agent('one too many'); return 'no error' } catch (e) { return [e.name, e.message] }
      `);
      assert.equal(r.status, 'completed', r.error?.message);
      assert.deepEqual(r.result, [AGENT_CAP_ERROR, MESSAGES.agentCap(1000)]);
      assert.equal(AGENT_CAP_ERROR, 'WorkflowAgentCapError');
      assert.ok(
        MESSAGES.agentCap(1000).startsWith(
          'Workflow agent() call cap reached (1000). This usually means a loop using budget.remaining() never terminates',
        ),
      );
      assert.equal(h.runner.calls.length, 1000);
      assert.equal(r.agents.total, 1000);
    });

    it('refuses parallel()/pipeline() entry once the cap is reached', async () => {
      const r = await h.run(`
        ${THOUSAND}
        const a = await parallel([() => 1]).then(() => 'ok', e => e.name)
        const b = await pipeline([1], x => x).then(() => 'ok', e => e.name)
        const c = await parallel([]).then(v => v, e => e.name)
        return [a, b, c]
      `);
      assert.deepEqual(r.result, [AGENT_CAP_ERROR, AGENT_CAP_ERROR, []]);
    });

    it('an uncaught cap error fails the run; on resume the cached agents count too', async () => {
      const src = `
        ${THOUSAND}
        return await agent('extra')
      `;
      const first = await h.run(src);
      assert.equal(first.status, 'failed');
      assert.equal(first.error?.name, AGENT_CAP_ERROR);
      assert.equal(first.error?.message, MESSAGES.agentCap(1000));
      assert.equal(h.runner.calls.length, 1000);
      const second = await h.resume(first.runId);
      assert.equal(second.status, 'failed');
      assert.equal(second.error?.name, AGENT_CAP_ERROR);
      assert.equal(second.agents.cached, 1000);
      assert.equal(h.runner.calls.length, 1000, 'no agent ran live on resume');
    });
  });

  describe('budget', () => {
    it('without a ceiling: total null, remaining() Infinity, spent() grows', async () => {
      const r = await h.run(`
        const before = [budget.total, budget.remaining() === Infinity, budget.spent()]
        await agent('a')
        await agent('b')
        return { before, after: [budget.total, budget.remaining() === Infinity, budget.spent()], frozen: Object.isFrozen(budget) }
      `);
      assert.equal(r.status, 'completed', r.error?.message);
      const res = r.result as { before: unknown[]; after: unknown[]; frozen: boolean };
      assert.deepEqual(res.before, [null, true, 0]);
      assert.equal(res.after[0], null);
      assert.equal(res.after[1], true);
      assert.equal(res.frozen, true);
      // Spent is output tokens (FakeRunner: 5 per agent), counted with or without a ceiling.
      assert.equal(res.after[2], 10);
    });

    it('with a ceiling: spent() grows per agent and sequential agents stop after it', async () => {
      const r = await h.run(
        `
        const seen = []
        for (let i = 0; i < 10; i++) {
          try {
            await agent('step ' + i)
            seen.push([budget.spent(), budget.remaining()])
          } catch (e) {
            return { total: budget.total, seen, name: e.name, message: e.message, remaining: budget.remaining() }
          }
        }
        return 'never stopped'
      `,
        { budgetTotal: 20 },
      );
      assert.equal(r.status, 'completed', r.error?.message);
      assert.deepEqual(r.result, {
        total: 20,
        seen: [
          [5, 15],
          [10, 10],
          [15, 5],
          [20, 0],
        ],
        name: BUDGET_ERROR,
        message: MESSAGES.budgetExceeded(20, 20),
        remaining: 0,
      });
      assert.equal(BUDGET_ERROR, 'WorkflowBudgetExceededError');
      assert.equal(
        MESSAGES.budgetExceeded(20, 20),
        'Workflow token budget exceeded (20 / 20 output tokens). Stopping further agent() calls. In-flight agents will complete; their results are preserved.',
      );
      assert.equal(h.runner.calls.length, 4);
    });

    it('an uncaught budget error fails the run with its name', async () => {
      const r = await h.run(`for (let i = 0; i < 10; i++) await agent('s' + i); return 'never'`, { budgetTotal: 10 });
      assert.equal(r.status, 'failed');
      assert.equal(r.error?.name, BUDGET_ERROR);
      assert.equal(r.error?.message, MESSAGES.budgetExceeded(10, 10));
      assert.equal(h.runner.calls.length, 2);
    });

    it('drops parallel slots refused by the budget to null with one note, not per-slot failure lines', async () => {
      const r = await h.run(
        `
        const r = await parallel(Array.from({ length: 6 }, (_, i) => () => agent('p' + i)))
        return r
      `,
        { budgetTotal: 20, concurrency: 1 },
      );
      assert.equal(r.status, 'completed', r.error?.message);
      assert.deepEqual(r.result, ['echo:p0', 'echo:p1', 'echo:p2', 'echo:p3', null, null]);
      const lines = logLines(r.events);
      assert.deepEqual(
        lines.filter((l) => l.startsWith('parallel')),
        ['parallel: 2 slots dropped — token budget exceeded'],
      );
      assert.equal(h.runner.calls.length, 4);
      assert.equal(agentEvents(r.events, 'failed').length, 2);
    });

    it('refuses parallel()/pipeline() entry once spent ≥ total', async () => {
      const r = await h.run(
        `
        await agent('a'); await agent('b')
        const p = await parallel([() => 1]).then(() => 'ok', e => [e.name, e.message])
        const q = await pipeline([1], x => x).then(() => 'ok', e => e.name)
        return [p, q]
      `,
        { budgetTotal: 10 },
      );
      assert.deepEqual(r.result, [[BUDGET_ERROR, MESSAGES.budgetExceeded(10, 10)], BUDGET_ERROR]);
    });

    it('a guarded loop (budget.total && budget.remaining() < N) stops on its own', async () => {
      const r = await h.run(
        `
        let rounds = 0
        while (rounds < 100) {
          if (budget.total && budget.remaining() < 10) break
          await agent('round ' + rounds++)
        }
        return rounds
      `,
        { budgetTotal: 30 },
      );
      assert.equal(r.status, 'completed', r.error?.message);
      assert.equal(r.result, 5);
    });

    it('is shared with child workflows', async () => {
      const t = createHarness({
        resolveWorkflow: async () => ({
          source: `export const meta = { name: 'kid', description: 'k' }\nreturn [budget.total, budget.spent()]`,
          file: 'kid.js',
        }),
      });
      try {
        const r = await t.run(`await agent('a'); await agent('b'); return await workflow('kid')`, { budgetTotal: 100 });
        assert.deepEqual(r.result, [100, 10]);
      } finally {
        t.cleanup();
      }
    });
  });

  describe('concurrency', () => {
    it('defaults to min(16, max(2, cpus − 2))', () => {
      const cases: [number, number][] = [
        [1, 2],
        [2, 2],
        [3, 2],
        [4, 2],
        [5, 3],
        [8, 6],
        [18, 16],
        [64, 16],
      ];
      for (const [cpus, limit] of cases) assert.equal(ConcurrencyGate.defaultLimit(cpus), limit, `cpus=${cpus}`);
      assert.equal(ConcurrencyGate.defaultLimit(), Math.min(16, Math.max(2, availableParallelism() - 2)));
    });

    it('a run without a concurrency setting uses the default limit', async () => {
      const limit = ConcurrencyGate.defaultLimit();
      h.runner.rule({ match: 'w', delayMs: 15 });
      const n = limit * 3;
      const r = await h.run(`return await parallel(Array.from({ length: ${n} }, (_, i) => () => agent('w' + i)))`);
      assert.equal(r.status, 'completed');
      assert.equal(h.runner.calls.length, n);
      assert.equal(h.runner.maxInFlight, limit);
    });

    it('honours an explicit concurrency setting', async () => {
      h.runner.rule({ match: 'w', delayMs: 15 });
      const r = await h.run(`return await parallel(Array.from({ length: 9 }, (_, i) => () => agent('w' + i)))`, {
        concurrency: 3,
      });
      assert.equal(r.status, 'completed');
      assert.equal(h.runner.maxInFlight, 3);
    });
  });
});
