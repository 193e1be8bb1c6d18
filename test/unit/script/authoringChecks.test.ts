// Live checks beyond syntax (issue 12 item 2): each check flags its mistake with the message the
// real run throws for it (the same script run in the real QuickJS sandbox, compared text for
// text), at the offending expression; computed values and names the script declares itself are
// left alone.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  authoringProblems,
  nearestChoice,
  workflowProblemsOf,
  type AuthoringContext,
  type AuthoringProblem,
} from '../../../src/core/script/authoringChecks';
import { registryResolver } from '../../../src/core/registry';
import { MESSAGES } from '../../../src/core/errors';
import { createHarness, type Harness } from '../../fakes/engineHarness';

const META = "export const meta = { name: 'live', description: 'live checks' }\n";
const TYPES = ['general-purpose', 'Explore', 'Plan', 'reviewer'];

/** A script whose body catches what `stmt` throws and returns its message. */
const caught = (stmt: string) => `${META}try { ${stmt}; return 'no error' } catch (e) { return e.message }\n`;

describe('script/authoringChecks', () => {
  let dir: string;
  let h: Harness;
  let context: AuthoringContext;
  const resolver = () => registryResolver({ cwd: dir, repoRoot: dir, personalDir: path.join(dir, 'personal') });

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-authoring-'));
    fs.mkdirSync(path.join(dir, '.claude', 'workflows'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, '.claude', 'workflows', 'helper.js'),
      "export const meta = { name: 'helper', description: 'a child' }\nreturn 'child ran'\n",
    );
    fs.writeFileSync(path.join(dir, 'child.js'), "export const meta = { name: 'c', description: 'c' }\nreturn 1\n");
    h = createHarness({ agentTypes: TYPES, resolveWorkflow: resolver(), dir: path.join(dir, 'h') });
  });
  after(() => {
    h.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function problemsOf(source: string): Promise<AuthoringProblem[]> {
    const file = path.join(dir, 'script.js');
    context = { agentTypes: TYPES, workflowProblem: await workflowProblemsOf(source, resolver(), file) };
    return authoringProblems(source, context);
  }

  /** The one problem of `caught(stmt)`, checked against what the real run of the same script threw. */
  async function flagsLikeTheRun(stmt: string, code: string): Promise<AuthoringProblem> {
    const source = caught(stmt);
    const problems = await problemsOf(source);
    assert.equal(problems.length, 1, `${stmt}: ${JSON.stringify(problems)}`);
    const [p] = problems;
    assert.equal(p.code, code);
    const run = await h.run(source);
    assert.equal(run.status, 'completed', run.error?.message);
    assert.equal(p.message, run.result, `${stmt}: the runtime's message`);
    return p;
  }

  /** No problem for `stmt`, and (when `runs`) the real run indeed throws nothing. */
  async function quiet(stmt: string, runs = true): Promise<void> {
    const source = caught(stmt);
    assert.deepEqual(await problemsOf(source), [], stmt);
    if (!runs) return;
    const run = await h.run(source);
    assert.equal(run.result, 'no error', `${stmt}: the run threw`);
  }

  /** The text a problem's range covers. */
  function covered(source: string, p: AuthoringProblem): string {
    const lines = source.split('\n');
    assert.equal(p.line, p.endLine, 'a one-line range');
    return lines[p.line - 1].slice(p.column - 1, p.endColumn - 1);
  }

  describe('agentType', () => {
    it('flags an unknown literal type with the runtime message, offers the file and the nearest type', async () => {
      const p = await flagsLikeTheRun("await agent('x', { agentType: 'explore' })", 'unknownAgentType');
      assert.equal(covered(caught("await agent('x', { agentType: 'explore' })"), p), "'explore'");
      assert.equal(p.line, 2);
      assert.deepEqual(
        p.fixes.map((f) => f.title),
        ["Replace with 'Explore'", 'Create .claude/agents/explore.md'],
      );
      const create = p.fixes[1];
      assert.ok(create.kind === 'createAgentFile' && create.name === 'explore');
    });

    it('flags a type with no near name, offering only the file', async () => {
      const p = await flagsLikeTheRun("await agent('x', { agentType: 'security-auditor' })", 'unknownAgentType');
      assert.deepEqual(
        p.fixes.map((f) => f.title),
        ['Create .claude/agents/security-auditor.md'],
      );
    });

    it('offers no file for a name that is not a file name (a plugin prefix)', async () => {
      const p = await flagsLikeTheRun("await agent('x', { agentType: 'tools:linter' })", 'unknownAgentType');
      assert.ok(!p.fixes.some((f) => f.kind === 'createAgentFile'));
    });

    it('accepts every known type, built-in or from a file', async () => {
      for (const t of TYPES) await quiet(`await agent('x', { agentType: '${t}' })`);
    });

    it('does not judge agentType without a list of types', () => {
      assert.deepEqual(authoringProblems(caught("await agent('x', { agentType: 'nope' })"), {}), []);
    });

    it('flags a bare word the script never declared, with the ReferenceError, and quotes it', async () => {
      const p = await flagsLikeTheRun("await agent('x', { agentType: reviewer })", 'undefinedOptionValue');
      assert.deepEqual(p.fixes, [
        {
          kind: 'replace',
          title: 'Quote the value',
          text: "'reviewer'",
          line: 2,
          column: 37,
          endLine: 2,
          endColumn: 45,
        },
      ]);
    });

    it('leaves a declared variable alone', async () => {
      await quiet("const reviewer = 'Plan'; await agent('x', { agentType: reviewer })");
    });
  });

  describe('option values', () => {
    const bad: [string, string][] = [
      ["{ effort: 'hihg' }", "Replace with 'high'"],
      ["{ effort: 'HIGH' }", "Replace with 'high'"],
      ['{ effort: 3 }', ''],
      ["{ isolation: 'worktrees' }", "Replace with 'worktree'"],
      ['{ label: 42 }', 'Quote the value'],
      ['{ phase: true }', 'Quote the value'],
      ['{ model: 5 }', ''],
      ["{ schema: 'object' }", ''],
      ["{ schema: { type: 'array' } }", ''],
      ["{ schema: { type: 'object', properties: { a: {} }, required: ['b'] } }", ''],
      ['{ stallMs: -1 }', ''],
      ['{ sharedHeadLength: 1.5 }', ''],
      ["{ disallowedTools: ['bash'] }", ''],
      ["{ disallowedTools: 'Bash' }", ''],
      ["{ bashCommandClamp: ['git *'] }", ''],
    ];
    for (const [opts, fix] of bad) {
      it(`flags ${opts} with the runtime message${fix ? `, offering "${fix}"` : ''}`, async () => {
        const p = await flagsLikeTheRun(`await agent('x', ${opts})`, 'badOptionValue');
        assert.deepEqual(
          p.fixes.map((f) => f.title),
          fix ? [fix] : [],
        );
        const value = opts.slice(opts.indexOf(':') + 2, -2);
        assert.equal(covered(caught(`await agent('x', ${opts})`), p), value);
      });
    }

    it("leaves isolation: 'remote' alone: whether an engine is configured is the run's setting, not the script's", async () => {
      await quiet("await agent('x', { isolation: 'remote' })", false);
    });

    it('applies the fix text the runtime accepts', async () => {
      const source = caught("await agent('x', { label: 42, effort: 'Low' })");
      const fixed = (await problemsOf(source)).reduceRight((text, p) => {
        const f = p.fixes[0];
        assert.ok(f.kind === 'replace');
        const lines = text.split('\n');
        const line = lines[f.line - 1];
        lines[f.line - 1] = line.slice(0, f.column - 1) + f.text + line.slice(f.endColumn - 1);
        return lines.join('\n');
      }, source);
      assert.match(fixed, /label: '42', effort: 'low'/);
      assert.deepEqual(await problemsOf(fixed), []);
      assert.equal((await h.run(fixed)).result, 'no error');
    });

    it('flags a bare word for effort, isolation and model (ReferenceError) and offers quotes', async () => {
      for (const opts of ['{ effort: high }', '{ isolation: worktree }', '{ model: opus }']) {
        const p = await flagsLikeTheRun(`await agent('x', ${opts})`, 'undefinedOptionValue');
        assert.equal(p.fixes[0].title, 'Quote the value');
      }
    });

    it('accepts valid literal values', async () => {
      await quiet(
        "await agent('x', { label: 'a', phase: 'P', model: 'haiku', effort: 'max', isolation: undefined, stallMs: 5000, sharedHeadLength: 0, disallowedTools: ['Bash', 'mcp__*'], bashCommandClamp: ['Bash(git status)'], schema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] } })",
      );
    });

    it('never judges computed values', async () => {
      const computed = [
        "const e = 'nope'; await agent('x', { effort: e })",
        "const o = { effort: 'nope' }; await agent('x', o).catch(() => {})",
        "await agent('x', { effort: ['lo', 'w'].join('') }).catch(() => {})",
        "await agent('x', { label: `n ${1}`, schema: { type: 'object', properties: { a: { type: String(1) } } } }).catch(() => {})",
        "await agent('x', { [String('effort')]: 'nope' }).catch(() => {})",
        "const rest = { effort: 'low' }; await agent('x', { effort: 'nope', ...rest })",
      ];
      for (const stmt of computed) await quiet(stmt, false);
    });

    it('judges only the last of two properties of the same name (the one the run sees)', async () => {
      await quiet("await agent('x', { effort: 'nope', effort: 'low' })");
      await flagsLikeTheRun("await agent('x', { effort: 'low', effort: 'nope' })", 'badOptionValue');
    });

    it('leaves a local agent() alone, whatever its options', async () => {
      await quiet("function agent(p, o) { return o.effort } await agent('x', { effort: 'nope', agentType: 'nobody' })");
      await quiet("const run = (agent) => agent('x', { effort: 'nope' }); run(() => 1)");
      await quiet("{ const agent = () => 1; agent('x', { effort: 'nope' }) }");
      await quiet("for (const agent of [() => 1]) agent('x', { effort: 'nope' })");
      await quiet("try { throw () => 1 } catch (agent) { agent('x', { effort: 'nope' }) }");
    });

    it('still flags the global agent() next to a local one in another scope', async () => {
      await flagsLikeTheRun(
        "const helper = () => { const agent = () => 1; return agent('x', { effort: 'nope' }) }; helper(); await agent('x', { effort: 'nope' })",
        'badOptionValue',
      );
    });
  });

  describe('determinism', () => {
    for (const stmt of ['Date.now()', 'Math.random()', 'new Date()', 'new Date', 'Date()', 'String(Date.now())']) {
      it(`flags ${stmt} with the runtime message`, async () => {
        const p = await flagsLikeTheRun(stmt, 'nonDeterministic');
        const call = stmt.startsWith('String(') ? 'Date.now()' : stmt;
        assert.equal(covered(caught(stmt), p), call);
      });
    }

    it('accepts new Date(x), Date.parse, Date.UTC and a mention without a call', async () => {
      await quiet("new Date(0); Date.parse('2020-01-01'); Date.UTC(2020, 0); const f = Date.now; typeof Math.random");
    });

    it('leaves a script\u2019s own Date and Math alone', async () => {
      await quiet('const Date = { now: () => 1 }; Date.now()');
      await quiet('function f(Math) { return Math.random() } f({ random: () => 2 })');
      await quiet('class Date {} ; new Date()');
      await quiet('var Math = { random() { return 4 } }; Math.random()');
    });
  });

  describe('workflow()', () => {
    it('flags a saved name that resolves to nothing, with the runtime message', async () => {
      const p = await flagsLikeTheRun("await workflow('helpr')", 'workflowNotFound');
      assert.equal(p.message, MESSAGES.workflowNotFound('helpr', ['helper']));
      assert.equal(covered(caught("await workflow('helpr')"), p), "'helpr'");
    });

    it('flags a scriptPath that names no file, with the runtime message', async () => {
      await flagsLikeTheRun("await workflow({ scriptPath: './missing.js' })", 'workflowNotFound');
    });

    it('flags a literal that is neither a name nor {scriptPath}', async () => {
      const p = await flagsLikeTheRun('await workflow(42)', 'workflowRef');
      assert.equal(p.message, MESSAGES.workflowRef);
      await flagsLikeTheRun('await workflow({ scriptPath: 7 })', 'workflowRef');
    });

    it('accepts names and paths that resolve, and computed ones', async () => {
      await quiet("await workflow('helper')");
      await quiet("await workflow({ scriptPath: './child.js' })");
      await quiet("const n = 'nope'; await workflow(n).catch(() => {})", false);
      await quiet("function workflow(n) { return n } workflow('nope')");
    });
  });

  it('reports nothing for a script that does not parse, and finds problems in nested code', () => {
    assert.deepEqual(authoringProblems(`${META}const = 1`, { agentTypes: TYPES }), []);
    const nested = authoringProblems(
      `${META}await parallel([1, 2].map((i) => () => agent(\`n\${i}\`, { effort: 'hgh', label: \`x\${Math.random()}\` })))`,
      { agentTypes: TYPES },
    );
    assert.deepEqual(
      nested.map((p) => p.code),
      ['badOptionValue', 'nonDeterministic'],
    );
  });

  it('positions survive CRLF line ends', () => {
    const [p] = authoringProblems(`${META.replace('\n', '\r\n')}\r\n\r\nDate.now()\r\n`);
    assert.deepEqual([p.line, p.column, p.endLine, p.endColumn], [4, 1, 4, 11]);
  });

  it('finds nothing in the workflows and examples the project ships (no false alarms on real scripts)', () => {
    const root = path.join(__dirname, '..', '..', '..', '..');
    const files = ['workflows', 'examples'].flatMap((d) =>
      fs
        .readdirSync(path.join(root, d))
        .filter((f) => f.endsWith('.js'))
        .map((f) => path.join(root, d, f)),
    );
    assert.ok(files.length >= 6, files.join());
    for (const f of files)
      assert.deepEqual(authoringProblems(fs.readFileSync(f, 'utf8'), { agentTypes: TYPES }), [], f);
  });

  it('nearestChoice: case, typos, and nothing when far', () => {
    assert.equal(nearestChoice('LOW', ['low', 'high']), 'low');
    assert.equal(nearestChoice('meduim', ['low', 'medium']), 'medium');
    assert.equal(nearestChoice('xhigh ', ['xhigh']), 'xhigh');
    assert.equal(nearestChoice('banana', ['low', 'medium', 'high']), undefined);
  });
});
