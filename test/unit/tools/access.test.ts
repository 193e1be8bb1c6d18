// The tools behind the real access gate, on real files and a real HTTP server on 127.0.0.1: Read
// rules hide files from Read, Glob and Edit; writes to protected paths ask (headless: refused,
// saying why and how to allow it), the runs folder never; WebFetch asks for unknown domains and
// for loopback/private addresses (each redirect hop too), and connects to the address it checked.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { ApprovalRequest } from '../../../src/core/ports';
import {
  AccessGate,
  ApprovedWrites,
  nonPublicReason,
  pathGuardFor,
  parseRule,
  type AccessGateOptions,
  type RuleSet,
} from '../../../src/agent/permissions';
import { readTool } from '../../../src/agent/tools/read';
import { globTool } from '../../../src/agent/tools/glob';
import { writeTool } from '../../../src/agent/tools/write';
import { editTool } from '../../../src/agent/tools/edit';
import { webFetchTool } from '../../../src/agent/tools/webFetch';
import { makeContext, RecordingWorkspace, tempDir, write, type TestContext } from './helpers';

type Answer = 'once' | 'always' | 'deny';

function ruleSet(spec: { allow?: string[]; deny?: string[]; ask?: string[] } = {}): RuleSet {
  const p = (l: string[] = []) => l.map((t) => ({ ...parseRule(t), source: 'test' }));
  return { allow: p(spec.allow), deny: p(spec.deny), ask: p(spec.ask) };
}

describe('tools behind the access gate', () => {
  let root: string;
  let ctx: TestContext;
  let asked: ApprovalRequest[];
  let answer: Answer;
  let persisted: string[][];

  /** A context whose workspace, guard and gate are the shipped ones. */
  function rig(rules: RuleSet, over: Partial<AccessGateOptions> = {}): void {
    const approvedWrites = new ApprovedWrites();
    const gate = new AccessGate({
      rules,
      roots: [root],
      approvedWrites,
      approver: { approveCommand: async (req) => (asked.push(req), answer) },
      persist: (r) => persisted.push(r),
      ...over,
    });
    // The shipped workspace with the same grants as the gate: what it refuses, nothing writes.
    const workspace = new RecordingWorkspace([root], { approvedWrites });
    ctx = makeContext(root, {
      workspace,
      paths: pathGuardFor([root], root),
      access: gate.forAgent({ runId: 'wf_t', agentLabel: 'tester' }),
    });
  }

  beforeEach(() => {
    root = tempDir();
    asked = [];
    answer = 'deny';
    persisted = [];
    write(root, '.env', 'API_TOKEN=hunter2\n');
    write(root, 'src/app.ts', 'export const x = 1;\n');
    write(root, 'src/keys/id.pem', 'PRIVATE\n');
    write(root, '.claude/settings.local.json', '{}\n');
    write(root, '.git/config', '[core]\n');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  describe('Read rules', () => {
    it('a Read deny rule blocks Read, hides the file from Glob, and keeps Edit from reading it', async () => {
      rig(ruleSet({ deny: ['Read(./.env)', 'Read(/src/keys/**)'] }));
      const read = await readTool.run({ file_path: '.env' }, ctx);
      assert.equal(read.isError, true);
      assert.match(read.content, /denied by the rule Read\(\.\/\.env\)/);
      assert.ok(!read.content.includes('hunter2'));
      assert.equal((await readTool.run({ file_path: 'src/keys/id.pem' }, ctx)).isError, true);

      const glob = await globTool.run({ pattern: '**/*' }, ctx);
      assert.ok(!glob.content.includes('.env') && !glob.content.includes('id.pem'), glob.content);
      assert.ok(glob.content.includes(path.join(root, 'src/app.ts')));
      assert.match(glob.content, /2 match\(es\) were left out by Read\(…\) permission rules/);

      const edit = await editTool.run({ file_path: '.env', old_string: 'hunter2', new_string: 'x' }, ctx);
      assert.equal(edit.isError, true);
      assert.equal(fs.readFileSync(path.join(root, '.env'), 'utf8'), 'API_TOKEN=hunter2\n');
      assert.deepEqual(asked, []);
    });

    it('a symlink to a denied file is denied too (rules see the real path)', async () => {
      rig(ruleSet({ deny: ['Read(./.env)'] }));
      fs.symlinkSync('../.env', path.join(root, 'src', 'innocent.txt'));
      const r = await readTool.run({ file_path: 'src/innocent.txt' }, ctx);
      assert.equal(r.isError, true);
      assert.ok(!r.content.includes('hunter2'));
    });

    it('a Read ask rule asks before Read (deny refuses, once reads) and hides the file from Glob', async () => {
      rig(ruleSet({ ask: ['Read(./.env)'] }));
      assert.equal((await readTool.run({ file_path: '.env' }, ctx)).isError, true);
      assert.equal(asked.length, 1);
      assert.deepEqual(
        { tool: asked[0].tool, command: asked[0].command, rules: asked[0].rules },
        { tool: 'Read', command: `Read ${path.join(root, '.env')}`, rules: [] },
      );
      answer = 'once';
      assert.match((await readTool.run({ file_path: '.env' }, ctx)).content, /hunter2/);
      assert.ok(!(await globTool.run({ pattern: '*' }, ctx)).content.includes('.env'));
    });
  });

  describe('writes', () => {
    const payload = '{"permissions":{"allow":["Bash"]}}';
    const settings = () => fs.readFileSync(path.join(root, '.claude/settings.local.json'), 'utf8');

    it('a Write to .claude/settings.local.json asks with no "always" on offer; Deny leaves the file as it was', async () => {
      rig(ruleSet({ allow: ['Edit', 'Write(**)'] })); // broad allow rules do not cover protected paths
      const r = await writeTool.run({ file_path: '.claude/settings.local.json', content: payload }, ctx);
      assert.equal(r.isError, true);
      assert.match(r.content, /declined/);
      assert.equal(settings(), '{}\n');
      assert.equal(asked.length, 1);
      assert.equal(asked[0].tool, 'Write');
      assert.equal(asked[0].command, `Write ${path.join(root, '.claude/settings.local.json')}`);
      assert.deepEqual(asked[0].rules, []);
      assert.match(asked[0].reason ?? '', /protected path/);
    });

    it('Allow once writes it; "always" counts as once (nothing is remembered or saved)', async () => {
      rig(ruleSet());
      answer = 'always';
      assert.equal(
        (await writeTool.run({ file_path: '.claude/settings.local.json', content: payload }, ctx)).isError,
        undefined,
      );
      assert.equal(settings(), payload);
      answer = 'deny';
      assert.equal(
        (await writeTool.run({ file_path: '.claude/settings.local.json', content: '{}' }, ctx)).isError,
        true,
      );
      assert.equal(settings(), payload);
      assert.equal(asked.length, 2);
      assert.deepEqual(persisted, []);
    });

    it('Edit of .git/config through a symlinked or dotted path asks too, and Deny leaves it', async () => {
      rig(ruleSet());
      fs.symlinkSync('../.git', path.join(root, 'src', 'g'));
      for (const p of ['.git/config', 'src/g/config', 'src/../.git/config']) {
        const r = await editTool.run(
          { file_path: p, old_string: '[core]', new_string: '[core]\n\tfsmonitor = touch pwned' },
          ctx,
        );
        assert.equal(r.isError, true, p);
      }
      assert.equal(asked.length, 3);
      assert.equal(fs.readFileSync(path.join(root, '.git/config'), 'utf8'), '[core]\n');
    });

    it('headless: refused without asking, saying nobody was asked and which exact rule allows it; --yes does not cover it', async () => {
      for (const yes of [false, true]) {
        rig(ruleSet(), { headless: { yes } });
        const r = await writeTool.run({ file_path: '.claude/settings.local.json', content: payload }, ctx);
        assert.equal(r.isError, true);
        assert.match(r.content, /No one was asked/);
        assert.ok(r.content.includes(`--allow 'Edit(/${path.join(root, '.claude/settings.local.json')})'`), r.content);
        assert.equal(settings(), '{}\n');
      }
      assert.deepEqual(asked, []);
    });

    it('an allow rule naming the file exactly lets it through without asking', async () => {
      rig(ruleSet({ allow: ['Edit(.claude/settings.local.json)'] }), { headless: { yes: false } });
      assert.equal(
        (await writeTool.run({ file_path: '.claude/settings.local.json', content: payload }, ctx)).isError,
        undefined,
      );
      assert.equal(settings(), payload);
    });

    it('the runs folder is never writable: no question, whatever the rules say', async () => {
      rig(ruleSet({ allow: ['Edit(.claude/workflow-runs/wf_1/journal.jsonl)', 'Write'] }));
      answer = 'once';
      const r = await writeTool.run({ file_path: '.claude/workflow-runs/wf_1/journal.jsonl', content: '{}' }, ctx);
      assert.equal(r.isError, true);
      assert.match(r.content, /runs folder/);
      assert.ok(!fs.existsSync(path.join(root, '.claude/workflow-runs/wf_1/journal.jsonl')));
      assert.deepEqual(asked, []);
    });

    it('Edit/Write deny and ask rules apply to both tools', async () => {
      rig(ruleSet({ deny: ['Write(/src/**)'], ask: ['Edit(/docs/**)'] }));
      assert.match(
        (await editTool.run({ file_path: 'src/app.ts', old_string: '1', new_string: '2' }, ctx)).content,
        /denied by the rule Write\(\/src\/\*\*\)/,
      );
      assert.equal(fs.readFileSync(path.join(root, 'src/app.ts'), 'utf8'), 'export const x = 1;\n');
      assert.equal((await writeTool.run({ file_path: 'docs/a.md', content: 'x' }, ctx)).isError, true);
      assert.equal(asked[0].tool, 'Write');
      assert.ok(!fs.existsSync(path.join(root, 'docs/a.md')));
      assert.equal(
        (await writeTool.run({ file_path: 'notes.md', content: 'fine' }, ctx)).isError,
        undefined,
        'acceptEdits: no rule, no question',
      );
    });
  });

  describe('WebFetch', () => {
    let server: http.Server;
    let port: number;
    let hits: string[];
    before(async () => {
      server = http.createServer((req, res) => {
        hits.push(`${req.headers.host} ${req.url}`);
        if (req.url === '/to-localhost') {
          res.writeHead(302, { location: `http://localhost:${port}/secret` });
          return res.end();
        }
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(`body of ${req.url}`);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
    });
    after(() => new Promise<void>((r) => server.close(() => r())));
    beforeEach(() => {
      hits = [];
    });

    it('a fetch to 127.0.0.1 asks even under a bare WebFetch allow; Deny fetches nothing, once fetches', async () => {
      rig(ruleSet({ allow: ['WebFetch', 'WebFetch(domain:*)'] }));
      const url = `http://127.0.0.1:${port}/vscode-remote-resource?path=/etc/passwd`;
      const denied = await webFetchTool.run({ url }, ctx);
      assert.equal(denied.isError, true);
      assert.deepEqual(hits, [], 'nothing reached the server');
      assert.equal(asked[0].tool, 'WebFetch');
      assert.equal(asked[0].command, `WebFetch ${url}`);
      assert.match(asked[0].reason ?? '', /loopback/);
      assert.deepEqual(asked[0].rules, []);
      answer = 'once';
      assert.match((await webFetchTool.run({ url }, ctx)).content, /body of \/vscode-remote-resource/);
    });

    it('a redirect to another local host is asked about again (each hop goes through the gate)', async () => {
      rig(ruleSet({ allow: [`WebFetch(domain:127.0.0.1)`] })); // explicit rule for this IP: no question for it
      const r = await webFetchTool.run({ url: `http://127.0.0.1:${port}/to-localhost` }, ctx);
      assert.equal(r.isError, true);
      assert.match(r.content, /redirected to http:\/\/localhost:\d+\/secret, which was refused/);
      assert.equal(asked.length, 1);
      assert.equal(asked[0].command, `WebFetch http://localhost:${port}/secret`);
      assert.deepEqual(hits, [`127.0.0.1:${port} /to-localhost`], 'the redirect target was not fetched');
    });

    it('a public-looking name that resolves to a private address asks even with its domain rule, and the connection goes to the checked address', async () => {
      const resolve = async (host: string) =>
        host === 'intranet.invalid' ? [{ address: '127.0.0.1', family: 4 as const }] : [];
      rig(ruleSet({ allow: ['WebFetch(domain:intranet.invalid)'] }), { resolve });
      const url = `http://intranet.invalid:${port}/page`;
      assert.equal((await webFetchTool.run({ url }, ctx)).isError, true);
      assert.match(asked[0].reason ?? '', /intranet\.invalid resolves to 127\.0\.0\.1, a loopback address/);
      answer = 'once';
      // `.invalid` never resolves in DNS: reaching the server proves the checked address was used.
      const r = await webFetchTool.run({ url }, ctx);
      assert.match(r.content, /body of \/page/, r.content);
      assert.deepEqual(hits, [`intranet.invalid:${port} /page`]);
    });

    it('headless: a loopback fetch is refused saying nobody was asked and which rule allows it', async () => {
      rig(ruleSet(), { headless: { yes: true } });
      const r = await webFetchTool.run({ url: `http://127.0.0.1:${port}/x` }, ctx);
      assert.equal(r.isError, true);
      assert.match(r.content, /No one was asked.*--allow 'WebFetch\(domain:127\.0\.0\.1\)'.*--yes does not cover this/);
      assert.deepEqual(hits, []);
    });

    it('a WebFetch deny rule stops the fetch', async () => {
      rig(ruleSet({ allow: ['WebFetch(domain:127.0.0.1)'], deny: ['WebFetch'] }));
      const r = await webFetchTool.run({ url: `http://127.0.0.1:${port}/x` }, ctx);
      assert.match(r.content, /denied by the rule WebFetch/);
      assert.deepEqual(hits, []);
      assert.deepEqual(asked, []);
    });
  });

  describe('authorizeFetch for public hosts (no connection made)', () => {
    const publicDns = async () => [{ address: '93.184.215.14', family: 4 as const }];
    const signal = new AbortController().signal;

    it('an unknown domain asks, offering the domain rule; "always" remembers and saves it', async () => {
      const gate = new AccessGate({
        rules: ruleSet(),
        roots: [root],
        approvedWrites: new ApprovedWrites(),
        approver: { approveCommand: async (req) => (asked.push(req), answer) },
        persist: (r) => persisted.push(r),
        resolve: publicDns,
      });
      const agent = gate.forAgent({ runId: 'wf_t', agentLabel: 'a' });
      assert.equal((await agent.authorizeFetch('https://docs.example.org/x', signal)).allowed, false);
      assert.deepEqual(asked[0].rules, ['WebFetch(domain:docs.example.org)']);
      answer = 'always';
      const ok = await agent.authorizeFetch('https://docs.example.org/y', signal);
      assert.deepEqual(ok, { allowed: true, addresses: [{ address: '93.184.215.14', family: 4 }] });
      assert.deepEqual(persisted, [['WebFetch(domain:docs.example.org)']]);
      answer = 'deny';
      assert.equal(
        (await agent.authorizeFetch('https://docs.example.org/z', signal)).allowed,
        true,
        'remembered: no question',
      );
      assert.equal(asked.length, 2);
      assert.equal((await agent.authorizeFetch('https://other.example.org/', signal)).allowed, false);
    });

    it('a domain rule allows its public host without asking; headless refuses an unknown one unless --yes', async () => {
      const base = {
        roots: [root],
        approvedWrites: new ApprovedWrites(),
        approver: { approveCommand: async (req: ApprovalRequest) => (asked.push(req), answer) },
        resolve: publicDns,
      };
      const allowed = new AccessGate({
        ...base,
        rules: ruleSet({ allow: ['WebFetch(domain:*.example.org)'] }),
      }).forAgent({ runId: 'r', agentLabel: 'a' });
      assert.equal((await allowed.authorizeFetch('https://api.example.org/', signal)).allowed, true);
      const headless = new AccessGate({ ...base, rules: ruleSet(), headless: { yes: false } }).forAgent({
        runId: 'r',
        agentLabel: 'a',
      });
      const refused = await headless.authorizeFetch('https://example.net/', signal);
      assert.ok(
        !refused.allowed && /No one was asked.*--allow 'WebFetch\(domain:example\.net\)'/.test(refused.reason),
        JSON.stringify(refused),
      );
      const yes = new AccessGate({ ...base, rules: ruleSet(), headless: { yes: true } }).forAgent({
        runId: 'r',
        agentLabel: 'a',
      });
      assert.equal((await yes.authorizeFetch('https://example.net/', signal)).allowed, true);
      assert.deepEqual(asked, []);
    });

    it('metadata, private, mapped and numeric spellings of local addresses all ask', async () => {
      const gate = new AccessGate({
        rules: ruleSet({ allow: ['WebFetch'] }),
        roots: [root],
        approvedWrites: new ApprovedWrites(),
        approver: { approveCommand: async (req) => (asked.push(req), 'deny') },
      });
      const agent = gate.forAgent({ runId: 'r', agentLabel: 'a' });
      const urls = [
        'http://169.254.169.254/latest/meta-data/',
        'http://10.1.2.3/',
        'http://172.20.0.1/',
        'http://192.168.1.1/',
        'http://[::1]:8080/',
        'http://[::ffff:127.0.0.1]/',
        'http://[::ffff:7f00:1]/',
        'http://2130706433/',
        'http://0x7f.1/',
        'http://0.0.0.0:3000/',
        'http://[fe80::1]/',
        'http://[fd00::1]/',
        'http://app.localhost/',
        'http://LOCALHOST./',
      ];
      for (const url of urls) assert.equal((await agent.authorizeFetch(url, signal)).allowed, false, url);
      assert.equal(asked.length, urls.length);
    });

    it('address classes: public stays public, local ones are named, embedded IPv4 is unwrapped', () => {
      for (const a of ['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '2001:db9::1'])
        assert.equal(nonPublicReason(a), undefined, a);
      assert.match(nonPublicReason('127.0.0.2') ?? '', /loopback/);
      assert.match(nonPublicReason('169.254.169.254') ?? '', /link-local/);
      assert.match(nonPublicReason('2002:7f00:1::') ?? '', /loopback/, '6to4 of 127.0.0.1');
      assert.match(nonPublicReason('64:ff9b::a00:1') ?? '', /private/, 'NAT64 of 10.0.0.1');
      assert.match(nonPublicReason('::ffff:192.168.0.1') ?? '', /private/);
    });

    it('a name resolving to a local address says, headless, that no rule allows it and what to do instead', async () => {
      const gate = new AccessGate({
        rules: ruleSet({ allow: ['WebFetch(domain:rebind.example)'] }),
        roots: [root],
        approvedWrites: new ApprovedWrites(),
        approver: { approveCommand: async () => 'once' },
        headless: { yes: true },
        resolve: async () => [{ address: '10.0.0.7', family: 4 }],
      });
      const r = await gate.forAgent({ runId: 'r', agentLabel: 'a' }).authorizeFetch('http://rebind.example/', signal);
      assert.ok(
        !r.allowed && /resolves to 10\.0\.0\.7.*No one was asked.*WebFetch\(domain:10\.0\.0\.7\)/.test(r.reason),
        JSON.stringify(r),
      );
    });
  });
});
