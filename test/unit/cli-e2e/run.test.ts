// `dwf run` end to end: the shipped binary as a child process in a temp git repository, its
// agents talking to a FakeAnthropicServer through the real SDK. Success with the --json summary,
// real tool turns (Read, Edit, Bash behind the permission gate), failures and exit codes.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  byPrompt,
  byTurn,
  echo,
  FakeAnthropicServer,
  firstUserText,
  lastUserText,
  toolNames,
  toolResults,
  type Responder,
} from '../../fakes/fakeAnthropic';
import { describeExit, ensureBuilt, runDwf, summaryOf, tempRepo, type Repo } from './harness';

const SUCCESS = `export const meta = { name: 'e2e-success', description: 'parallel, pipeline and a schema agent' }
const KIND = { type: 'object', properties: { kind: { enum: ['doc', 'code'] }, score: { type: 'integer' } }, required: ['kind', 'score'] }
phase('Greet')
const greetings = await parallel(['alpha', 'beta', 'gamma'].map((w) => () => agent('greet ' + w, { label: 'greet ' + w })))
phase('Classify')
const piped = await pipeline(['x.md', 'y.ts'],
  (f) => agent('classify ' + f, { label: 'classify ' + f, schema: KIND }),
  (c, f) => agent('summarize ' + f + ' as ' + c.kind + ' ' + c.score, { label: 'summarize ' + f }))
log('all done')
return { greetings, piped }
`;

/** Schema agents answer through StructuredOutput; everything else echoes. */
const classify: Responder = (req) => ({
  toolUses: [
    { name: 'StructuredOutput', input: { kind: firstUserText(req.body).endsWith('.md') ? 'doc' : 'code', score: 7 } },
  ],
});

describe('cli e2e: dwf run (spawned binary, fake Messages API)', function () {
  this.timeout(60_000);
  let server: FakeAnthropicServer;
  let repo: Repo;

  before(() => ensureBuilt());
  beforeEach(async () => {
    // The fake accepts only the key the child was given (the SDK's x-api-key or Bearer header).
    server = await FakeAnthropicServer.start({ apiKey: 'test' });
    repo = tempRepo();
  });
  afterEach(async () => {
    await server.close();
    repo.cleanup();
  });

  it('--json: a parallel + pipeline workflow with a schema agent completes; the last stdout line is the summary', async () => {
    server.respond(byPrompt([['classify ', classify]], echo));
    repo.write('wf.js', SUCCESS);
    const exit = await runDwf(repo, ['run', 'wf.js', '--json'], { server });
    assert.equal(exit.code, 0, describeExit(exit));
    assert.equal(exit.stdout.trim().split('\n').length, 1, 'stdout holds only the summary');
    const s = summaryOf(exit);
    assert.equal(s.status, 'completed');
    assert.match(s.runId, /^wf_/);
    assert.deepEqual(s.result, {
      greetings: ['echo:greet alpha', 'echo:greet beta', 'echo:greet gamma'],
      piped: ['echo:summarize x.md as doc 7', 'echo:summarize y.ts as code 7'],
    });
    assert.deepEqual(s.agents, { total: 7, done: 7, cached: 0, failed: 0, skipped: 0 });
    assert.ok(s.tokens.input > 0 && s.tokens.output > 0, JSON.stringify(s.tokens));
    assert.ok(s.tokens.cacheWrite > 0, 'system prompt and tools are written to the cache');
    assert.ok(typeof s.costUsd === 'number' && s.costUsd > 0, `costUsd ${s.costUsd}`);
    assert.ok(s.durationMs > 0);
    assert.equal(s.error, undefined);

    // One request per agent (schema agents end on the accepted StructuredOutput call).
    assert.equal(server.requests.length, 7);
    for (const r of server.requests) {
      assert.equal(r.stream, true, 'agents always stream');
      const schema = firstUserText(r.body).startsWith('classify ');
      assert.equal(toolNames(r.body).includes('StructuredOutput'), schema, firstUserText(r.body));
    }
    // Progress went to stderr: the run line, one line per agent, the log line and the summary.
    assert.match(exit.stderr, new RegExp(`e2e-success · run ${s.runId}`));
    assert.match(exit.stderr, /\[7\/7\] done/);
    assert.match(exit.stderr, /log: all done/);
    assert.match(exit.stderr, /^completed in .* 7 agents: 7 done/m);
  });

  it('without --json the result goes to stdout and progress to stderr', async () => {
    repo.write('wf.js', `export const meta = { name: 'plain', description: 'd' }\nreturn await agent('hello')\n`);
    const exit = await runDwf(repo, ['run', 'wf.js'], { server });
    assert.equal(exit.code, 0, describeExit(exit));
    assert.equal(exit.stdout, 'echo:hello\n');
    assert.match(exit.stderr, /^completed in /m);
  });

  it('a Read turn reads a workspace file and an Edit turn really edits it', async () => {
    const notes = repo.write('notes.txt', 'first line\nhello world\n');
    server.respond(
      byPrompt([
        [
          'read notes',
          byTurn({ toolUses: [{ name: 'Read', input: { file_path: notes } }] }, (req) => ({
            text: JSON.stringify(toolResults(req.body)),
          })),
        ],
        [
          'edit notes',
          byTurn(
            {
              toolUses: [
                { name: 'Edit', input: { file_path: notes, old_string: 'hello world', new_string: 'goodbye world' } },
              ],
            },
            (req) => ({
              text: JSON.stringify(toolResults(req.body)),
            }),
          ),
        ],
      ]),
    );
    repo.write(
      'wf.js',
      `export const meta = { name: 'read-edit', description: 'd' }
const seen = JSON.parse(await agent('read notes.txt', { label: 'reader' }))
const edited = JSON.parse(await agent('edit notes.txt', { label: 'editor' }))
return { seen, edited }
`,
    );
    const exit = await runDwf(repo, ['run', 'wf.js', '--json'], { server });
    assert.equal(exit.code, 0, describeExit(exit));
    const { seen, edited } = summaryOf(exit).result as Record<
      'seen' | 'edited',
      { content: string; is_error: boolean }[]
    >;
    assert.equal(seen.length, 1);
    assert.equal(seen[0].is_error, false, seen[0].content);
    assert.match(seen[0].content, /1\tfirst line\n\s*2\thello world/);
    assert.equal(edited[0].is_error, false, edited[0].content);
    assert.equal(repo.read('notes.txt'), 'first line\ngoodbye world\n');
    assert.equal(server.requests.length, 4, 'two turns per agent');
  });

  describe('Bash behind the permission gate (headless: CI=1, no TTY)', () => {
    const WF = `export const meta = { name: 'toucher', description: 'd' }
return JSON.parse(await agent('make the marker', { label: 'toucher' }))
`;
    const touch: Responder = byTurn(
      { toolUses: [{ name: 'Bash', input: { command: 'touch marker.txt', description: 'create the marker' } }] },
      (req) => ({
        text: JSON.stringify(toolResults(req.body)[0]),
      }),
    );

    it('a command that is not allowlisted is refused: the agent gets the refusal and nothing runs', async () => {
      server.respond(touch);
      repo.write('wf.js', WF);
      const exit = await runDwf(repo, ['run', 'wf.js', '--json'], { server });
      assert.equal(exit.code, 0, describeExit(exit));
      const r = summaryOf(exit).result as { content: string; is_error: boolean };
      assert.equal(r.is_error, true);
      assert.match(r.content, /not run/);
      assert.match(r.content, /--allow 'Bash\(/, 'the refusal tells how to allow it headless');
      assert.equal(repo.exists('marker.txt'), false, 'the command did not run');
    });

    it("with --allow 'Bash(touch:*)' the same command runs in the workspace", async () => {
      server.respond(touch);
      repo.write('wf.js', WF);
      const exit = await runDwf(repo, ['run', 'wf.js', '--json', '--allow', 'Bash(touch:*)'], { server });
      assert.equal(exit.code, 0, describeExit(exit));
      const r = summaryOf(exit).result as { content: string; is_error: boolean };
      assert.equal(r.is_error, false, r.content);
      assert.equal(repo.exists('marker.txt'), true);
    });

    it('an allow rule for one command does not let a chained command through', async () => {
      server.respond(
        byTurn({ toolUses: [{ name: 'Bash', input: { command: 'touch marker.txt && rm notes.txt' } }] }, (req) => ({
          text: JSON.stringify(toolResults(req.body)[0]),
        })),
      );
      repo.write('notes.txt', 'keep me\n');
      repo.write('wf.js', WF);
      const exit = await runDwf(repo, ['run', 'wf.js', '--json', '--allow', 'Bash(touch:*)'], { server });
      assert.equal(exit.code, 0, describeExit(exit));
      const r = summaryOf(exit).result as { content: string; is_error: boolean };
      assert.equal(r.is_error, true, r.content);
      assert.equal(repo.exists('marker.txt'), false);
      assert.equal(repo.read('notes.txt'), 'keep me\n');
    });
  });

  describe('failures and exit codes', () => {
    it('a script that throws after an agent: exit 1, status failed, the error and the resume command', async () => {
      repo.write(
        'wf.js',
        `export const meta = { name: 'boom', description: 'd' }\nconst a = await agent('first')\nthrow new Error('boom after ' + a)\n`,
      );
      const exit = await runDwf(repo, ['run', 'wf.js', '--json'], { server });
      assert.equal(exit.code, 1, describeExit(exit));
      const s = summaryOf(exit);
      assert.equal(s.status, 'failed');
      assert.equal(s.error?.message, 'boom after echo:first');
      assert.equal(s.result, null);
      assert.deepEqual(s.agents, { total: 1, done: 1, cached: 0, failed: 0, skipped: 0 });
      assert.ok(exit.stderr.includes(`dwf resume ${s.runId}`), exit.stderr);
    });

    it('a runtime error says where: file:line:column and the code frame on stderr, location and stack in --json', async () => {
      repo.write(
        'wf.js',
        `export const meta = { name: 'where', description: 'd' }
function summarize(x) {
  return x.y.z
}
return summarize(await agent('first'))
`,
      );
      const exit = await runDwf(repo, ['run', 'wf.js', '--json'], { server });
      assert.equal(exit.code, 1, describeExit(exit));
      const s = summaryOf(exit);
      assert.equal(s.error?.name, 'TypeError');
      const file = s.error?.location?.file ?? '';
      assert.equal(path.basename(file), 'wf.js');
      assert.equal(s.error?.location?.line, 3);
      assert.match(s.error?.stack ?? '', /at summarize \(.*wf\.js:3:\d+\)/);
      const col = s.error!.location!.column;
      assert.ok(exit.stderr.includes(`${file}:3:${col}: TypeError: `), exit.stderr);
      assert.ok(exit.stderr.includes(`  return x.y.z\n${' '.repeat(col - 1)}^`), exit.stderr);
    });

    it("a runtime error after an await on the same line: the column and caret are the source's, in stderr, location and stack", async () => {
      const line = "const found = await agent('first'); const title = found.details.title";
      repo.write('wf.js', `export const meta = { name: 'where', description: 'd' }\n${line}\nreturn title\n`);
      const exit = await runDwf(repo, ['run', 'wf.js', '--json'], { server });
      assert.equal(exit.code, 1, describeExit(exit));
      const s = summaryOf(exit);
      const loc = s.error!.location!;
      assert.equal(loc.line, 2);
      // Within `found.details.title`, not ~40 columns to the right where the rewritten text put it.
      const start = line.indexOf('found.details') + 1;
      assert.ok(loc.column >= start && loc.column < start + 'found.details.title'.length, `column ${loc.column}`);
      assert.ok(exit.stderr.includes(`${loc.file}:2:${loc.column}: TypeError: `), exit.stderr);
      assert.ok(exit.stderr.includes(`${line}\n${' '.repeat(loc.column - 1)}^`), exit.stderr);
      assert.ok(s.error!.stack!.includes(`wf.js:2:${loc.column}`), s.error!.stack);
    });

    it('a schema agent that never calls StructuredOutput (after the nudge) fails the run: exit 1', async () => {
      server.respond({ text: 'I will not use the tool' });
      repo.write(
        'wf.js',
        `export const meta = { name: 'stubborn', description: 'd' }
return await agent('judge this', { label: 'judge', schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } })
`,
      );
      const exit = await runDwf(repo, ['run', 'wf.js', '--json'], { server });
      assert.equal(exit.code, 1, describeExit(exit));
      const s = summaryOf(exit);
      assert.equal(s.status, 'failed');
      assert.match(s.error?.message ?? '', /without calling StructuredOutput/);
      assert.equal(server.requests.length, 2, 'the first answer and one nudge');
      assert.match(lastUserText(server.requests[1].body), /Call StructuredOutput now/, 'the nudge');
    });

    it('a script parse error: exit 2 with file:line:col, nothing is sent to the API', async () => {
      repo.write(
        'bad.js',
        `export const meta = { name: 'bad', description: 'd' }\nconst a = 1\nconst b = = 2\nreturn a\n`,
      );
      const exit = await runDwf(repo, ['run', 'bad.js', '--json'], { server });
      assert.equal(exit.code, 2, describeExit(exit));
      assert.match(exit.stderr, /^bad\.js:3:\d+: /m);
      assert.equal(exit.stdout, '', 'no summary: the run never started');
      assert.equal(server.requests.length, 0);
    });

    it('a missing ANTHROPIC_API_KEY: exit 2 with a clear message, nothing is sent', async () => {
      repo.write('wf.js', `export const meta = { name: 'k', description: 'd' }\nreturn await agent('hi')\n`);
      const exit = await runDwf(repo, ['run', 'wf.js', '--json'], { server, env: { ANTHROPIC_API_KEY: undefined } });
      assert.equal(exit.code, 2, describeExit(exit));
      assert.match(exit.stderr, /ANTHROPIC_API_KEY is not set/);
      assert.equal(exit.stdout, '');
      assert.equal(server.requests.length, 0);
    });

    it('an unknown flag and a missing file are rejected with exit 2', async () => {
      const flag = await runDwf(repo, ['run', 'wf.js', '--no-such-flag'], { server });
      assert.equal(flag.code, 2, describeExit(flag));
      const missing = await runDwf(repo, ['run', 'missing.js'], { server });
      assert.equal(missing.code, 2, describeExit(missing));
      assert.match(missing.stderr, /No such file/);
      assert.equal(server.requests.length, 0);
    });
  });
});
