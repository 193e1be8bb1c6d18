// workflow(nameOrRef, args): child workflows by name and {scriptPath}, results and args, the
// `▸ name` group, no-op phase(), prefixed logs, one-level nesting, resolver errors, and the
// shared gate and agent counter (spec §3.8; Appendix B row 9).
import assert from 'node:assert/strict';
import { createHarness, agentEvents, logLines, type Harness } from '../../fakes/engineHarness';
import { MESSAGES } from '../../../src/core/errors';
import type { WorkflowRef } from '../../../src/core/run/run';
import type { RunEvent } from '../../../src/core/run/events';

const child = (name: string, body: string) =>
  `export const meta = { name: '${name}', description: 'child ${name}' }\n${body}`;

const CHILDREN: Record<string, string> = {
  engine: child(
    'engine',
    `
    phase('Child phase')
    log('working on', args && args.n)
    const r = await agent('child task ' + args.n, { label: 'child-task', phase: 'Ignored' })
    const more = await parallel([() => agent('child p1', { label: 'cp1' }), () => agent('child p2', { label: 'cp2' })])
    return { r, more, args }
  `,
  ),
  nester: child('nester', `return await workflow('engine', { n: 0 })`),
  catcher: child('catcher', `try { await workflow('engine', { n: 0 }) } catch (e) { return [e.name, e.message] }`),
  thrower: child('thrower', `throw new Error('child went wrong')`),
  fanout: child(
    'fanout',
    `return await parallel([1, 2, 3, 4].map(i => () => agent('child slow ' + i, { label: 'c' + i })))`,
  ),
  counter: child(
    'counter',
    `try { await agent('child one', { label: 'child one' }); await agent('child two', { label: 'child two' }); return 'all ran' } catch (e) { return [e.name, e.message] }`,
  ),
  plain: child('plain', `log('no agents'); return args`),
};

const PATHS: Record<string, string> = {
  'lib/helper.workflow.js': child('helper', `log('from path'); return 'helper got ' + JSON.stringify(args)`),
};

describe('engine: workflow()', () => {
  let h: Harness;
  let resolved: { ref: WorkflowRef; fromFile: string }[];
  beforeEach(() => {
    resolved = [];
    h = createHarness({
      resolveWorkflow: async (ref, fromFile) => {
        resolved.push({ ref, fromFile });
        if ('name' in ref) {
          const source = CHILDREN[ref.name];
          if (source === undefined) throw new Error(MESSAGES.workflowNotFound(ref.name, Object.keys(CHILDREN).sort()));
          return { source, file: `/saved/${ref.name}.js` };
        }
        const source = PATHS[ref.scriptPath];
        if (source === undefined) throw new Error(`Workflow script file not found: ${ref.scriptPath}`);
        return { source, file: `/repo/${ref.scriptPath}` };
      },
    });
  });
  afterEach(() => h.cleanup());

  const caught = (expr: string) => `
    try { await ${expr}; return 'no error' } catch (e) { return [e.name, e.message] }
  `;

  it('runs a child by name with args and returns its result', async () => {
    const r = await h.run(`return await workflow('engine', { n: 7 })`);
    assert.equal(r.status, 'completed', r.error?.message);
    assert.deepEqual(r.result, { r: 'echo:child task 7', more: ['echo:child p1', 'echo:child p2'], args: { n: 7 } });
    assert.deepEqual(resolved, [{ ref: { name: 'engine' }, fromFile: 'test.js' }]);
  });

  it('runs a child by {scriptPath}', async () => {
    const r = await h.run(`return await workflow({ scriptPath: 'lib/helper.workflow.js' }, ['a', 1])`);
    assert.equal(r.status, 'completed', r.error?.message);
    assert.equal(r.result, 'helper got ["a",1]');
    assert.deepEqual(resolved[0].ref, { scriptPath: 'lib/helper.workflow.js' });
    assert.ok(logLines(r.events).includes('[helper] from path'));
  });

  it('passes args verbatim as JSON data; omitted args are undefined in the child', async () => {
    const r = await h.run(`
      const a = await workflow('plain', 'a plain string')
      const b = await workflow('plain')
      const c = await workflow('plain', { nested: [1, { x: null }] })
      return { a, bIsUndefined: b === undefined, c }
    `);
    assert.deepEqual(r.result, { a: 'a plain string', bIsUndefined: true, c: { nested: [1, { x: null }] } });
  });

  it("groups the child's agents under '▸ <name>' (overriding phase() and opts.phase), '#2' on a repeat", async () => {
    const r = await h.run(`
      phase('Parent')
      await workflow('engine', { n: 1 })
      await agent('parent after', { label: 'parent after' })
      await workflow('engine', { n: 2 })
      return 'ok'
    `);
    assert.equal(r.status, 'completed', r.error?.message);
    const done = agentEvents(r.events, 'done');
    const phases = (label: string) => done.filter((e) => e.label === label).map((e) => e.phase);
    assert.deepEqual(phases('child-task'), ['▸ engine', '▸ engine #2']);
    assert.deepEqual(phases('cp1'), ['▸ engine', '▸ engine #2']);
    // The child's phase() is a no-op: the parent's phase stays current, no phase event is emitted.
    assert.deepEqual(phases('parent after'), ['Parent']);
    const phaseTitles = r.events
      .filter((e) => e.type === 'phase')
      .map((e) => (e as Extract<RunEvent, { type: 'phase' }>).title);
    assert.deepEqual(phaseTitles, ['Parent']);
    const groups = r.events.filter(
      (e): e is Extract<RunEvent, { type: 'group' }> => e.type === 'group' && e.kind === 'workflow',
    );
    assert.deepEqual(
      groups.map((g) => g.title),
      ['▸ engine', '▸ engine #2'],
    );
  });

  it('prefixes child log lines with [name] and brackets them with the parent lines', async () => {
    const r = await h.run(`log('parent before'); await workflow('engine', { n: 3 }); log('parent after'); return 'ok'`);
    const lines = logLines(r.events);
    assert.deepEqual(lines, [
      'parent before',
      '▸ running dynamic workflow engine',
      '[engine] working on 3',
      '▸ engine done',
      'parent after',
    ]);
    assert.deepEqual(r.logs, lines);
  });

  it('prefixes console.* lines of the child too', async () => {
    CHILDREN.consoler = child('consoler', `console.log({ a: 1 }); console.warn('w'); return 1`);
    try {
      const r = await h.run(`return await workflow('consoler')`);
      const lines = logLines(r.events);
      assert.ok(lines.includes('[consoler] {"a":1}'), lines.join('\n'));
      assert.ok(lines.includes('[warn] [consoler] w'), lines.join('\n'));
    } finally {
      delete CHILDREN.consoler;
    }
  });

  it('limits nesting to one level: workflow() inside a child rejects', async () => {
    const r = await h.run(`return await workflow('catcher')`);
    assert.equal(r.status, 'completed', r.error?.message);
    assert.deepEqual(r.result, ['Error', MESSAGES.workflowNesting]);
    assert.ok(
      MESSAGES.workflowNesting.startsWith(
        'workflow() cannot be called from within a child workflow — nesting is limited to one level.',
      ),
    );
    // The child's workflow() call never reached the resolver.
    assert.deepEqual(
      resolved.map((x) => x.ref),
      [{ name: 'catcher' }],
    );
  });

  it('a child that fails rejects the parent call and logs `▸ <name> failed: <err>`', async () => {
    const r = await h.run(`
      const a = await workflow('nester').then(() => 'ok', e => e.message)
      const b = await workflow('thrower').then(() => 'ok', e => e.message)
      return [a, b]
    `);
    assert.equal(r.status, 'completed', r.error?.message);
    assert.deepEqual(r.result, [MESSAGES.workflowNesting, 'child went wrong']);
    const lines = logLines(r.events);
    assert.ok(lines.includes(`▸ nester failed: ${MESSAGES.workflowNesting}`), lines.join('\n'));
    assert.ok(lines.includes('▸ thrower failed: child went wrong'), lines.join('\n'));
  });

  it("passes the resolver's error for an unknown name to the script", async () => {
    const r = await h.run(caught(`workflow('nope')`));
    assert.deepEqual(r.result, ['Error', MESSAGES.workflowNotFound('nope', Object.keys(CHILDREN).sort())]);
    const [, message] = r.result as [string, string];
    assert.ok(message.startsWith("workflow('nope'): no workflow with that name. Available: "));
    const r2 = await h.run(caught(`workflow({ scriptPath: 'missing.js' })`));
    assert.deepEqual(r2.result, ['Error', 'Workflow script file not found: missing.js']);
  });

  it('an unknown child fails the run when not caught', async () => {
    const r = await h.run(`return await workflow('nope')`);
    assert.equal(r.status, 'failed');
    assert.match(r.error!.message, /^workflow\('nope'\): no workflow with that name/);
  });

  it('rejects a bad reference with the official TypeError', async () => {
    for (const ref of ['42', 'null', '{}', `{ scriptPath: 5 }`, `{ name: 'engine' }`, `['engine']`]) {
      const r = await h.run(caught(`workflow(${ref})`));
      assert.deepEqual(r.result, ['TypeError', MESSAGES.workflowRef], ref);
    }
    assert.equal(MESSAGES.workflowRef, 'workflow() expects a workflow name (string) or {scriptPath: string}');
    assert.equal(resolved.length, 0);
  });

  it('reports a child with a broken script as an error the parent can catch', async () => {
    CHILDREN.broken = `export const meta = { name: 'broken', description: 'x' }\nconst x: number = 1\nreturn x`;
    try {
      const r = await h.run(caught(`workflow('broken')`));
      const [, message] = r.result as [string, string];
      assert.match(message, /Script parse error/);
    } finally {
      delete CHILDREN.broken;
    }
  });

  it("shares the parent's concurrency gate", async () => {
    h.runner.rule({ match: 'slow', delayMs: 15 });
    const r = await h.run(
      `return await parallel([
        () => workflow('fanout'),
        () => agent('parent slow a'),
        () => agent('parent slow b'),
      ])`,
      { concurrency: 2 },
    );
    assert.equal(r.status, 'completed', r.error?.message);
    assert.equal(h.runner.calls.length, 6);
    assert.equal(h.runner.maxInFlight, 2);
  });

  it("shares the parent's agent counter: indices are unique and the totals include child agents", async () => {
    const r = await h.run(`
      await agent('p0')
      await workflow('engine', { n: 1 })
      await agent('p1')
      return 'ok'
    `);
    assert.equal(r.agents.total, 5);
    assert.deepEqual(
      h.runner.calls.map((c) => c.index).sort((a, b) => a - b),
      [0, 1, 2, 3, 4],
    );
  });

  it('counts child agents against the 1000-agent cap', async () => {
    const r = await h.run(`
      await parallel(Array.from({ length: 999 }, (_, i) => () => agent('p' + i)))
      return await workflow('counter')
    `);
    assert.equal(r.status, 'completed', r.error?.message);
    assert.deepEqual(r.result, ['WorkflowAgentCapError', MESSAGES.agentCap(1000)]);
    assert.equal(h.runner.calls.length, 1000);
  });
});
