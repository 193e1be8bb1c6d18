// The New Workflow templates: each parses as a strict inline script (determinism check included)
// whatever name is typed, and runs end to end on the real engine with scripted agents.
import assert from 'node:assert/strict';
import { createHarness } from '../fakes/engineHarness';
import type { FakeRule } from '../fakes/fakeRunner';
import { parseWorkflowScript } from '../../src/core/script';
import { WORKFLOW_TEMPLATES, type WorkflowTemplate } from '../../src/core/registry';

function template(id: WorkflowTemplate['id']): WorkflowTemplate {
  return WORKFLOW_TEMPLATES.find((t) => t.id === id)!;
}

async function run(id: WorkflowTemplate['id'], rules: FakeRule[], args: unknown): Promise<unknown> {
  const h = createHarness({ rules });
  try {
    const script = parseWorkflowScript(template(id).source(`my-${id}`), `${id}.js`);
    const r = await h.engine.start(script, { args, eventIntervalMs: 0 }).done;
    assert.equal(r.status, 'completed', r.error?.message);
    return r.result;
  } finally {
    h.cleanup();
  }
}

describe('New Workflow templates', () => {
  it('are the review, migration and research shapes', () => {
    assert.deepEqual(
      WORKFLOW_TEMPLATES.map((t) => t.id),
      ['review', 'migration', 'research'],
    );
  });

  for (const t of WORKFLOW_TEMPLATES) {
    it(`${t.id}: parses inline with the typed name as meta.name, even one with quotes and a backslash`, () => {
      const name = `it's "odd" \\ ${t.id}`;
      const { meta } = parseWorkflowScript(t.source(name), 'new.js', { inline: true });
      assert.equal(meta.name, name);
      assert.match(meta.whenToUse ?? '', /^args: /);
      assert.ok(meta.phases.length >= 2);
    });
  }

  it('review: a finding the skeptic refutes is dropped, one whose skeptic failed is kept as unverified', async () => {
    const result = (await run(
      'review',
      [
        { match: /^Review a\.js/, reply: { findings: [{ title: 'leak', why: 'never closed' }] } },
        { match: /^Review b\.js/, reply: { findings: [{ title: 'race', why: 'two writers' }] } },
        { match: 'leak', reply: { refuted: false, reason: 'real' } },
        { match: 'race', outcome: { kind: 'null', reason: 'api error' } },
      ],
      'a.js b.js',
    )) as { confirmed: { title: string }[]; unverified: { title: string }[] };
    assert.deepEqual(
      result.confirmed.map((f) => f.title),
      ['leak'],
    );
    assert.deepEqual(
      result.unverified.map((f) => f.title),
      ['race'],
    );
  });

  it('migration: edits each planned file and checks only the changed ones', async () => {
    const result = await run(
      'migration',
      [
        { match: 'List the files', reply: { files: ['a.js', 'b.js'] } },
        { match: /^In a\.js/, reply: { changed: true, summary: 'ok' } },
        { match: /^In b\.js/, reply: { changed: false, summary: 'nothing' } },
        { match: 'Check the change to a.js', reply: { ok: false, problems: ['missed one'] } },
      ],
      { instruction: 'use const' },
    );
    assert.deepEqual((result as { changed: string[] }).changed, ['a.js']);
    assert.deepEqual(
      (result as { problems: { file: string }[] }).problems.map((p) => p.file),
      ['a.js'],
    );
  });

  it('research: the answer ends with the sources the search agents cited', async () => {
    const result = await run(
      'research',
      [
        { match: 'Split this question', reply: { questions: ['q1'] } },
        { match: 'Use WebSearch', reply: { claims: [{ claim: 'X holds', url: 'https://x.example/' }] } },
        { match: 'Answer in Markdown', reply: 'X holds [1].' },
      ],
      'Does X hold?',
    );
    assert.equal(result, 'X holds [1].\n\n## Sources\n[1] https://x.example/\n');
  });
});
