// `dwf run` end to end, as an attacker would try it: the model's allowed Bash commands go after
// the API key in dwf's own process (/proc/$PPID/environ, every /proc/*/environ, env). The key
// must appear nowhere: not in what the commands print, the requests the model received, the run
// folder (journal, run.json, transcripts), stdout or stderr. With bubblewrap and without it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { byTurn, FakeAnthropicServer, toolResults } from '../../fakes/fakeAnthropic';
import { describeExit, ensureBuilt, runDwf, summaryOf, tempRepo, type Repo } from '../cli-e2e/harness';
import { support } from './helpers';

const KEY = 'sk-ant-api03-e2e-PLANTED-7c6b5a4d3e2f1g0h-xyz';
const WF = `export const meta = { name: 'key-hunt', description: 'd' }
return await agent('find the key', { label: 'hunter' })
`;
const ATTACKS = [
  `tr '\\0' '\\n' < /proc/$PPID/environ`,
  `for p in /proc/[0-9]*; do tr '\\0' '\\n' < $p/environ; done 2>/dev/null | sort -u`,
  'env',
  `cat /proc/$(cut -d' ' -f4 /proc/$PPID/stat)/environ | base64 -w0`,
];

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('sandbox-os e2e: dwf run, a model hunting for the key', function () {
  this.timeout(60_000);
  let server: FakeAnthropicServer;
  let repo: Repo;
  before(() => ensureBuilt());
  beforeEach(async () => {
    server = await FakeAnthropicServer.start({ apiKey: KEY });
    repo = tempRepo();
  });
  afterEach(async () => {
    await server.close();
    repo.cleanup();
  });

  for (const mode of ['sandbox', 'off'] as const) {
    it(`DWF_SANDBOX=${mode === 'sandbox' ? 'require' : 'off'}: the key is nowhere`, async function () {
      if (mode === 'sandbox' && !support.available) this.skip();
      server.respond(
        byTurn({ toolUses: ATTACKS.map((command) => ({ name: 'Bash', input: { command } })) }, (req) => ({
          text: toolResults(req.body)
            .map((t) => String(t.content))
            .join('\n----\n'),
        })),
      );
      repo.write('wf.js', WF);
      const env = { ANTHROPIC_API_KEY: KEY, DWF_SANDBOX: mode === 'sandbox' ? 'require' : 'off' };
      const exit = await runDwf(repo, ['run', 'wf.js', '--json', '--allow', 'Bash'], { server, env });
      assert.equal(exit.code, 0, describeExit(exit));
      const result = String(summaryOf(exit).result);
      assert.match(result, /PATH=/, 'the commands ran and printed environments');
      if (mode === 'off') {
        assert.match(exit.stderr, /warning: Agent commands run without the OS sandbox/);
        assert.match(result, /ANTHROPIC_API_KEY=\*{8}/, "dwf's own environ shows the wiped value");
      }
      const places: [string, string][] = [
        ['stdout', exit.stdout],
        ['stderr', exit.stderr],
        ['requests to the model', JSON.stringify(server.requests.map((r) => r.body))],
        ...filesUnder(path.join(repo.root, '.claude')).map((f): [string, string] => [f, fs.readFileSync(f, 'utf8')]),
      ];
      assert.ok(places.length > 4, 'the run folder has files');
      const base64 = Buffer.from(`ANTHROPIC_API_KEY=${KEY}`).toString('base64').slice(8, 40);
      for (const [where, text] of places) {
        assert.ok(!text.includes(KEY), `the key is in ${where}`);
        assert.ok(!text.includes(base64), `the key's base64 is in ${where}`);
      }
    });
  }
});
