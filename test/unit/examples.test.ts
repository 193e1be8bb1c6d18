// The shipped example workflows parse and run end to end on the real engine (scripted agents).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHarness, type Harness } from '../fakes/engineHarness';
import { parseWorkflowScript } from '../../src/core/script';
import type { FakeRule } from '../fakes/fakeRunner';

const EXAMPLES = path.resolve(__dirname, '../../../examples');

async function runExample(
  name: string,
  rules: FakeRule[],
  args?: unknown,
): Promise<{ h: Harness; result: unknown; status: string }> {
  const h = createHarness({ rules });
  const script = parseWorkflowScript(fs.readFileSync(path.join(EXAMPLES, name), 'utf8'), path.join(EXAMPLES, name));
  const run = h.engine.start(script, { args, eventIntervalMs: 0 });
  const r = await run.done;
  assert.equal(r.status, 'completed', r.error?.message);
  return { h, result: r.result, status: r.status };
}

describe('examples/', () => {
  it('every example parses with a name and description', () => {
    const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.js'));
    assert.ok(files.length >= 3);
    for (const f of files) {
      const { meta } = parseWorkflowScript(fs.readFileSync(path.join(EXAMPLES, f), 'utf8'), f);
      assert.ok(meta.name && meta.description, f);
    }
  });

  it('review.js: scope → review → skeptics; only unrefuted findings survive', async () => {
    const { h, result } = await runExample('review.js', [
      { match: 'List the source files', reply: { files: ['src/a.ts', 'src/b.ts'] } },
      {
        match: /^Review src\/a/,
        reply: {
          findings: [
            { title: 'null deref', line: 3, why: 'x may be null', severity: 'critical' },
            { title: 'style', why: 'nit', severity: 'minor' },
          ],
        },
      },
      {
        match: /^Review src\/b/,
        reply: { findings: [{ title: 'race', line: 9, why: 'two writers', severity: 'important' }] },
      },
      { match: 'race', reply: { refuted: true, reason: 'single writer' } },
      { match: 'refute', reply: { refuted: false, reason: 'confirmed' } },
    ]);
    assert.deepEqual(
      (result as { title: string }[]).map((f) => f.title),
      ['null deref'],
    );
    assert.equal(h.runner.calls.length, 1 + 2 + 2);
    h.cleanup();
  });

  it('audit-todos.js: finds, triages with haiku, sorts relevant first', async () => {
    const { h, result } = await runExample(
      'audit-todos.js',
      [
        {
          match: 'Use Grep',
          reply: {
            items: [
              { file: 'a.ts', line: 1, text: 'TODO old' },
              { file: 'b.ts', line: 2, text: 'FIXME real' },
            ],
          },
        },
        { match: 'a.ts:1', reply: { relevant: false, effort: 'small', nextStep: 'delete it' } },
        { match: 'b.ts:2', reply: { relevant: true, effort: 'medium', nextStep: 'fix it' } },
      ],
      'src',
    );
    const r = result as { items: { file: string }[]; stale: number };
    assert.deepEqual(
      r.items.map((i) => i.file),
      ['b.ts', 'a.ts'],
    );
    assert.equal(r.stale, 1);
    assert.ok(h.runner.calls.filter((c) => c.options.model === 'haiku').length === 2);
    h.cleanup();
  });

  it('migrate.js: plans, edits each file, verifies the changed ones', async () => {
    const { h, result } = await runExample(
      'migrate.js',
      [
        { match: 'List the files', reply: { files: ['a.js', 'b.js'] } },
        { match: /In a\.js/, reply: { changed: true, summary: 'done' } },
        { match: /In b\.js/, reply: { changed: false, summary: 'nothing to do' } },
        { match: 'Check a.js', reply: { ok: false, problems: ['missed one call'] } },
      ],
      { find: 'files using var', instruction: 'use const' },
    );
    assert.deepEqual(result, { changed: ['a.js'], problems: [{ file: 'a.js', problems: ['missed one call'] }] });
    h.cleanup();
  });
});
