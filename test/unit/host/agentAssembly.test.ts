// The shared agent-runner assembly (src/host), as dwf and the editor call it: the same settings
// give the same gates whichever host's ports are plugged in, the personal folder is
// $CLAUDE_CONFIG_DIR (not <home>/.claude) for rules, sandbox settings, agents and CLAUDE.md, and
// every settings problem comes back once, located as file:line:column.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeAnthropicServer, byTurn, systemText, toolResults } from '../../fakes/fakeAnthropic';
import {
  assembleAgentRunner,
  SettingsRefusal,
  type AgentAssemblyOptions,
  type AgentHostPorts,
} from '../../../src/host/agentAssembly';
import { FsWorkspace } from '../../../src/agent/fsWorkspace';
import type { AgentProgress, AgentRequest, ApprovalRequest, Workspace } from '../../../src/core/ports';

const SETTINGS = `{
  "permissions": {
    "allow": ["Bash(echo:*)", "Bash(true"],
    "deny": ["Bash(rm:*)"]
  },
  "sandbox": { "enabled": "yes" }
}
`;

/** 1-based line and column of `needle` in `text`, as an editor shows it. */
function at(text: string, needle: string): string {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  const before = text.slice(0, i).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

describe('host: the agent-runner assembly shared by dwf and the editor', function () {
  this.timeout(30_000);
  let tmp: string;
  let root: string;
  let configDir: string;
  let server: FakeAnthropicServer;

  beforeEach(async () => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-assembly-')));
    root = path.join(tmp, 'repo');
    configDir = path.join(tmp, 'config');
    fs.mkdirSync(path.join(root, '.git'), { recursive: true });
    fs.mkdirSync(path.join(configDir, 'agents'), { recursive: true });
    fs.mkdirSync(path.join(tmp, 'home'));
    fs.writeFileSync(path.join(configDir, 'settings.json'), SETTINGS);
    fs.writeFileSync(path.join(configDir, 'CLAUDE.md'), 'PERSONAL-MEMORY-MARKER');
    fs.writeFileSync(path.join(configDir, 'agents', 'broken.md'), '---\nname: [unclosed\n---\nbody\n');
    server = await FakeAnthropicServer.start({ apiKey: 'test-key' });
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const options = (host: 'dwf' | 'editor', extra: Partial<AgentAssemblyOptions> = {}): AgentAssemblyOptions => ({
    roots: [root],
    personal: { configDir, home: path.join(tmp, 'home') },
    runsDir: path.join(root, '.claude', 'workflow-runs'),
    apiKey: 'test-key',
    baseURL: server.url,
    allow:
      host === 'dwf'
        ? { source: '--allow', rules: [], strict: true }
        : { source: 'dynamicWorkflows.allow', rules: [], strict: false },
    ...(host === 'dwf' ? { headless: { yes: false, hint: 'HEADLESS-HINT' } } : {}),
    env: {},
    ...extra,
  });

  function ports(): AgentHostPorts & { asked: ApprovalRequest[]; logged: string[]; editorWorkspaces: number } {
    const p = {
      asked: [] as ApprovalRequest[],
      logged: [] as string[],
      editorWorkspaces: 0,
      approver: { approveCommand: async (r: ApprovalRequest) => (p.asked.push(r), 'deny' as const) },
      log: { info: (m: string) => p.logged.push(m), warn: (m: string) => p.logged.push(`warn: ${m}`) },
      workspace: (roots: string[], guard: ConstructorParameters<typeof FsWorkspace>[1]): Workspace => {
        p.editorWorkspaces++;
        return new FsWorkspace(roots, guard);
      },
    };
    return p;
  }

  async function bashVerdict(
    runner: Awaited<ReturnType<typeof assembleAgentRunner>>['runner'],
    command: string,
  ): Promise<{ content: string; is_error: boolean; system: string }> {
    let seen: { content: string; is_error: boolean } | undefined;
    let system = '';
    server.respond(
      byTurn({ toolUses: [{ name: 'Bash', input: { command } }] }, (req) => {
        seen = toolResults(req.body)[0];
        system = systemText(req.body);
        return { text: 'done' };
      }),
    );
    const progress: AgentProgress = { usage: () => {}, tool: () => {}, model: () => {} };
    const req: AgentRequest = {
      runId: 'wf_assembly01',
      agentId: 'a1',
      index: 1,
      prompt: `run ${command}`,
      label: 'bash',
      options: {},
      attempt: 1,
    };
    const outcome = await runner.run(req, new AbortController().signal, progress);
    assert.equal(outcome.kind, 'done', JSON.stringify(outcome));
    assert.ok(seen, 'the tool ran and its result went back to the model');
    return { ...seen, system };
  }

  it('gives both hosts the same warnings, each once and located file:line:column', async () => {
    const file = path.join(configDir, 'settings.json');
    const dwf = await assembleAgentRunner(options('dwf'), ports());
    const editor = await assembleAgentRunner(options('editor'), ports());
    assert.deepEqual(dwf.warnings, editor.warnings);
    const w = dwf.warnings;
    // The Bash gate and the access gate read the same file: its problem is reported once.
    assert.equal(w.filter((x) => x.includes('permissions.allow[1]')).length, 1, w.join('\n'));
    assert.ok(
      w.some((x) => x.startsWith(`${file}:${at(SETTINGS, '"Bash(true"')}: permissions.allow[1]: `)),
      w.join('\n'),
    );
    assert.ok(
      w.includes(`${file}:${at(SETTINGS, '"enabled"')}: "sandbox.enabled" must be true or false; ignored`),
      w.join('\n'),
    );
    assert.ok(
      w.some((x) => x.includes(path.join(configDir, 'agents', 'broken.md'))),
      `the personal agent file is read from CLAUDE_CONFIG_DIR:\n${w.join('\n')}`,
    );
  });

  it('gives both hosts the same Bash gate from the personal settings: deny wins, allow runs, the rest is asked (dwf headless: refused with its hint)', async () => {
    const dwfPorts = ports();
    const editorPorts = ports();
    const dwf = (await assembleAgentRunner(options('dwf'), dwfPorts)).runner;
    const editor = (await assembleAgentRunner(options('editor'), editorPorts)).runner;
    assert.equal(
      dwfPorts.editorWorkspaces + editorPorts.editorWorkspaces,
      2,
      "the host's workspace port builds the main tree's workspace",
    );

    for (const runner of [dwf, editor]) {
      const denied = await bashVerdict(runner, 'rm -rf build');
      assert.equal(denied.is_error, true);
      assert.match(denied.content, /Bash\(rm:\*\)/, 'refused by the personal deny rule');
      const allowed = await bashVerdict(runner, 'echo assembled');
      assert.equal(allowed.is_error, false, allowed.content);
      assert.match(allowed.content, /assembled/);
      assert.match(allowed.system, /PERSONAL-MEMORY-MARKER/, 'CLAUDE.md from the personal folder');
    }
    const asked = await bashVerdict(dwf, 'touch x');
    assert.match(asked.content, /HEADLESS-HINT/);
    await bashVerdict(editor, 'touch x');
    assert.deepEqual(
      editorPorts.asked.map((r) => r.command),
      ['touch x'],
      'the editor asks the person',
    );
    assert.ok(!fs.existsSync(path.join(root, 'x')));
  });

  it('refuses to assemble when a deny rule is broken, in both hosts, with every problem located', async () => {
    const text = '{\n  "permissions": {\n    "deny": ["Bash(rm:*"]\n  }\n}\n';
    fs.mkdirSync(path.join(root, '.claude'), { recursive: true });
    fs.writeFileSync(path.join(root, '.claude', 'settings.json'), text);
    for (const host of ['dwf', 'editor'] as const) {
      await assert.rejects(assembleAgentRunner(options(host), ports()), (e: unknown) => {
        assert.ok(e instanceof SettingsRefusal);
        const where = `${path.join(root, '.claude', 'settings.json')}:${at(text, '"Bash(rm:*"')}: permissions.deny[0]: "Bash(rm:*": missing ")" at the end`;
        assert.deepEqual(e.fatal, [where]);
        assert.ok(
          e.problems.includes(where) && e.problems.some((p) => p.includes('permissions.allow[1]')),
          e.problems.join('\n'),
        );
        assert.match(e.message, /fix them so the deny rules hold, then run again/);
        return true;
      });
    }
  });

  it('a settings file that is not JSON is located where JSON.parse says it broke', async () => {
    const text = '{\n  "permissions": {\n    "allow": ["a" "b"]\n  }\n}\n';
    fs.writeFileSync(path.join(configDir, 'settings.json'), text);
    await assert.rejects(assembleAgentRunner(options('editor'), ports()), (e: unknown) => {
      assert.ok(e instanceof SettingsRefusal);
      assert.match(
        e.fatal[0],
        new RegExp(
          `^${path.join(configDir, 'settings.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${at(text, '"b"')}: not valid JSON \\(Expected ',' or ']' after array element`,
        ),
      );
      return true;
    });
  });
});
