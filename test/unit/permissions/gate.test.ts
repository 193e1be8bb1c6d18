// The gate as the Bash tool uses it: rules from real settings files, the workspace for
// redirections, the Approver for everything else, and "always allow" answers.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ApprovalAnswer, ApprovalRequest, Approver } from '../../../src/core/ports';
import { headlessApprover } from '../../../src/cli/approver';
import {
  commandGateFor,
  emptyRuleSet,
  parseRule,
  PermissionGate,
  RuleError,
  ruleFor,
} from '../../../src/agent/permissions';

type Answer = ApprovalAnswer;

function fakeApprover(answer: Answer | (() => Promise<Answer>)) {
  const asked: string[] = [];
  const requests: ApprovalRequest[] = [];
  const approver: Approver = {
    approveCommand: async (request) => {
      const { command } = request;
      asked.push(command);
      requests.push(request);
      return typeof answer === 'function' ? answer() : answer;
    },
  };
  return { approver, asked, requests };
}

const who = { runId: 'wf_1', agentLabel: 'reviewer' };

describe('permissions/PermissionGate', () => {
  let ws: string;
  beforeEach(() => {
    ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-gate-')));
  });
  afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

  const gateWith = (allow: string[], deny: string[] = []) =>
    new PermissionGate({
      rules: { allow: allow.map(parseRule), deny: deny.map(parseRule), ask: [] },
      roots: [ws],
      home: ws,
    });

  it('check() uses the rules and the cwd it is given', () => {
    const gate = gateWith(['Bash(echo:*)'], ['Bash(rm:*)']);
    assert.equal(gate.check('echo hi > out.txt', ws).decision, 'allow');
    assert.equal(gate.check('echo hi > ../out.txt', ws).decision, 'ask');
    assert.equal(gate.check('echo hi > out.txt', os.tmpdir()).decision, 'ask');
    assert.equal(gate.check('echo hi; rm x', ws).decision, 'deny');
  });

  it('remember() adds an allow rule; malformed rules throw', () => {
    const gate = gateWith([]);
    assert.equal(gate.check('make build', ws).decision, 'ask');
    const rule = gate.remember('Bash(make:*)');
    assert.equal(rule.source, 'always allow');
    assert.equal(gate.check('make build', ws).decision, 'allow');
    assert.throws(() => gate.remember('Bash('), RuleError);
    assert.equal(gate.snapshot().allow.length, 1);
  });

  it('deny rules still win after an "always allow"', () => {
    const gate = gateWith([], ['Bash(rm:*)']);
    gate.remember('Bash');
    assert.equal(gate.check('rm -rf x', ws).decision, 'deny');
  });

  it('authorize(): allowed commands never reach the person; denied ones neither', async () => {
    const { approver, asked } = fakeApprover('once');
    const gate = gateWith(['Bash(ls:*)'], ['Bash(rm:*)']);
    assert.deepEqual(await gate.authorize('ls -la', ws, approver, who), { allowed: true, remembered: [] });
    const denied = await gate.authorize('ls && rm -rf /', ws, approver, who);
    assert.equal(denied.allowed, false);
    assert.deepEqual(asked, []);
  });

  it('authorize(): once / deny / always', async () => {
    const gate = gateWith(['Bash(ls:*)']);
    const once = fakeApprover('once');
    assert.deepEqual(await gate.authorize('ls && make', ws, once.approver, who), { allowed: true, remembered: [] });
    assert.equal(gate.check('ls && make', ws).decision, 'ask', 'once is not remembered');

    const no = fakeApprover('deny');
    const refused = await gate.authorize('make', ws, no.approver, who);
    assert.ok(!refused.allowed && /declined/.test(refused.reason));

    const always = fakeApprover('always');
    const verdict = await gate.authorize('ls && make test && git status', ws, always.approver, who);
    assert.deepEqual(verdict, { allowed: true, remembered: ['Bash(make test)', 'Bash(git status)'] });
    assert.equal(gate.check('git status; make test', ws).decision, 'allow');
    assert.equal(gate.check('make build', ws).decision, 'ask', 'an exact rule, not a prefix');
  });

  it('authorize(): the same command asked by several agents at once is one question', async () => {
    let release!: (a: Answer) => void;
    const pending = new Promise<Answer>((r) => (release = r));
    const { approver, asked } = fakeApprover(() => pending);
    const gate = gateWith([]);
    const all = Promise.all([1, 2, 3].map(() => gate.authorize('make', ws, approver, who)));
    await new Promise((r) => setImmediate(r));
    release('once');
    assert.deepEqual(
      (await all).map((v) => v.allowed),
      [true, true, true],
    );
    assert.deepEqual(asked, ['make']);
  });

  it('authorize(): an abort while waiting refuses; a failing approver refuses', async () => {
    const gate = gateWith([]);
    const waiting = fakeApprover(() => new Promise<Answer>(() => undefined));
    const controller = new AbortController();
    const verdict = gate.authorize('make', ws, waiting.approver, who, controller.signal);
    controller.abort();
    const v = await verdict;
    assert.ok(!v.allowed && /stopped while waiting/.test(v.reason));

    const failing = fakeApprover(() => Promise.reject(new Error('no terminal')));
    const f = await gate.authorize('make other', ws, failing.approver, who);
    assert.ok(!f.allowed && /no terminal/.test(f.reason));
  });

  it('an unparseable command can be allowed once but never becomes a rule', async () => {
    const gate = gateWith([]);
    const verdict = await gate.authorize('echo "open', ws, fakeApprover('always').approver, who);
    assert.deepEqual(verdict, { allowed: true, remembered: [] });
  });

  it('commandGateFor() has the tools’ CommandGate shape and hands "always" rules to the host', async () => {
    const gate = gateWith([]);
    const saved: string[][] = [];
    const commands = commandGateFor(gate, fakeApprover('always').approver, who, (rules) => saved.push(rules));
    assert.deepEqual(await commands.check('make', ws, new AbortController().signal), { allowed: true });
    assert.deepEqual(saved, [['Bash(make)']]);
    const denying = commandGateFor(gateWith([]), fakeApprover('deny').approver, who);
    const r = await denying.check('make', ws, new AbortController().signal);
    assert.equal(r.allowed, false);
  });

  it('load() reads the workspace settings and reports broken files', async () => {
    fs.mkdirSync(path.join(ws, '.claude'));
    fs.writeFileSync(
      path.join(ws, '.claude/settings.json'),
      JSON.stringify({ permissions: { allow: ['Bash(npm run test:*)'] } }),
    );
    fs.writeFileSync(path.join(ws, '.claude/settings.local.json'), '{oops');
    const { gate, problems, fatal } = await PermissionGate.load({
      roots: [ws],
      home: ws,
      extra: [{ source: '--allow', allow: ['Bash(make)'] }],
    });
    assert.equal(problems.length, 1);
    assert.match(problems[0], /settings\.local\.json: not valid JSON/);
    assert.deepEqual(fatal, problems, 'a settings file that cannot be parsed may hide deny rules');
    assert.equal(gate.check('npm run test:unit && make', ws).decision, 'allow');
  });

  it('the request names the tool, the reason and exactly the rules "always" would save', async () => {
    const gate = gateWith(['Bash(ls:*)']);
    const a = fakeApprover('always');
    const verdict = await gate.authorize('ls && rm -f *.tmp && make', ws, a.approver, who);
    assert.deepEqual(a.requests[0].rules, ['Bash(rm -f \\*.tmp)', 'Bash(make)']);
    assert.equal(a.requests[0].tool, 'Bash');
    assert.match(a.requests[0].reason ?? '', /`make`: no allow rule matches/);
    assert.deepEqual(verdict, { allowed: true, remembered: ['Bash(rm -f \\*.tmp)', 'Bash(make)'] });
    // The saved rule is the glob as approved, not a wildcard over rm's arguments.
    assert.equal(gate.check('rm -f *.tmp', ws).decision, 'allow');
    assert.equal(gate.check('rm -f -r victimdir a.tmp', ws).decision, 'ask');
    assert.equal(gate.check("rm -f '*.tmp'", ws).decision, 'ask');
  });

  it('the request offers the prefix rule beside the exact one; "prefix" saves it and later commands with that prefix run', async () => {
    const gate = gateWith([]);
    const a = fakeApprover('prefix');
    const verdict = await gate.authorize('npm run lint', ws, a.approver, { ...who, agentId: 'a1' });
    assert.equal(a.requests[0].agentId, 'a1', 'the host can tell which agent waits');
    assert.deepEqual(a.requests[0].rules, ['Bash(npm run lint)']);
    assert.deepEqual(a.requests[0].prefixRules, ['Bash(npm run:*)']);
    assert.equal(a.requests[0].destructive, undefined);
    assert.deepEqual(verdict, { allowed: true, remembered: ['Bash(npm run:*)'] });
    assert.equal(gate.check('npm run build', ws).decision, 'allow');
    assert.equal(gate.check('npm test', ws).decision, 'ask');
  });

  it('a destructive command says why and offers no prefix rule; "prefix" then counts as once', async () => {
    const gate = gateWith([]);
    const a = fakeApprover('prefix');
    const verdict = await gate.authorize('git push --force origin main', ws, a.approver, who);
    assert.match(a.requests[0].destructive ?? '', /git push rewrites/);
    assert.equal(a.requests[0].prefixRules, undefined);
    assert.deepEqual(verdict, { allowed: true, remembered: [] });
    assert.equal(gate.check('git push --force origin main', ws).decision, 'ask');
  });

  it("while the person decides, the answer goes through the agent's awaitPerson (its slot is lent out)", async () => {
    const gate = gateWith([]);
    const seen: unknown[] = [];
    const awaitPerson = <T>(answer: Promise<T>) => {
      seen.push(answer);
      return answer;
    };
    const verdict = await gate.authorize('make', ws, fakeApprover('once').approver, { ...who, awaitPerson });
    assert.equal(seen.length, 1);
    assert.deepEqual(verdict, { allowed: true, remembered: [] });
    assert.deepEqual(await gate.authorize('make', ws, fakeApprover('once').approver, { ...who, awaitPerson }), {
      allowed: true,
      remembered: [],
    });
    assert.equal(seen.length, 2, 'each question waits through it');
  });

  it('"always" for a command with a part no exact rule can say is "once" (and offers no rules)', async () => {
    const gate = gateWith([]);
    const a = fakeApprover('always');
    const verdict = await gate.authorize('make && (( n ))', ws, a.approver, who);
    assert.deepEqual(a.requests[0].rules, []);
    assert.deepEqual(verdict, { allowed: true, remembered: [] });
    assert.equal(gate.check('make', ws).decision, 'ask', 'not even the expressible part was saved');
  });

  it('headless: an opaque command is refused without asking while deny rules exist, saying nobody was asked', async () => {
    const gate = gateWith([], ['Bash(rm:*)']);
    let asked = 0;
    const yes = headlessApprover(true);
    const counting: Approver & { unattended: true } = {
      unattended: true,
      approveCommand: async (r) => (asked++, yes.approveCommand(r)),
    };
    for (const command of [
      `d='$'; x="a[\${d}(rm -rf victim)]"; (( x ))`,
      'eval "$(cat cmd.txt)"',
      '$X -rf victim',
      'echo "open',
    ]) {
      const v = await gate.authorize(command, ws, counting, who);
      assert.equal(v.allowed, false, command);
      assert.match(!v.allowed ? v.reason : '', /Nobody was asked.*deny rules are in force.*--yes/s, command);
    }
    assert.equal(asked, 0);
    // Visible commands are still approved by --yes; without deny rules, opaque ones too.
    assert.equal((await gate.authorize('make', ws, counting, who)).allowed, true);
    assert.equal((await gateWith([]).authorize('eval "$x"', ws, counting, who)).allowed, true);
  });

  it('headless without --yes: the refusal says nobody was asked; a person can still approve opaque commands', async () => {
    const gate = gateWith([], ['Bash(rm:*)']);
    const no = await gate.authorize('make', ws, headlessApprover(false), who);
    assert.ok(!no.allowed && /^Nobody was asked/.test(no.reason), !no.allowed ? no.reason : '');
    const person = fakeApprover('once');
    assert.equal((await gate.authorize('eval "$x"', ws, person.approver, who)).allowed, true);
    assert.deepEqual(person.asked, ['eval "$x"']);
  });

  it('ruleFor() quotes a part as an exact rule that parses back to it', () => {
    assert.equal(ruleFor(' git commit -m "a b" '), 'Bash(git commit -m "a b")');
    const rule = parseRule(ruleFor('git commit -m "a b"') ?? '');
    assert.equal(rule.kind, 'exact');
    assert.deepEqual(emptyRuleSet(), { allow: [], deny: [], ask: [] });
  });
});
