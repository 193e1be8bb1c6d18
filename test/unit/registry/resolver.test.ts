import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { registryResolver } from '../../../src/core/registry';
import { createHarness, type Harness } from '../../fakes/engineHarness';

describe('registry: workflow() resolver', () => {
  let dir: string;
  let h: Harness | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-resolver-'));
    fs.mkdirSync(path.join(dir, '.git'));
    fs.mkdirSync(path.join(dir, '.claude', 'workflows'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, '.claude', 'workflows', 'child.js'),
      "export const meta = { name: 'summarise', description: 'child' }\nreturn await agent('summarise ' + args.topic)\n",
    );
    fs.writeFileSync(
      path.join(dir, 'sibling.workflow.js'),
      "export const meta = { name: 'sib', description: 'by path' }\nreturn 'sibling:' + args\n",
    );
  });
  afterEach(() => {
    h?.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const opts = () => ({ cwd: dir, personalDir: path.join(dir, 'personal') });

  it('resolves saved workflows by meta.name and lists the available ones when not found', async () => {
    const resolve = registryResolver(opts());
    const found = await resolve({ name: 'summarise' }, path.join(dir, 'parent.js'));
    assert.match(found.source, /summarise/);
    assert.ok(found.file.endsWith(path.join('.claude', 'workflows', 'child.js')), found.file);
    await assert.rejects(resolve({ name: 'nope' }, 'x.js'), {
      message: "workflow('nope'): no workflow with that name. Available: summarise",
    });
  });

  it('resolves {scriptPath} relative to the calling script and refuses missing files', async () => {
    const resolve = registryResolver(opts());
    const found = await resolve({ scriptPath: './sibling.workflow.js' }, path.join(dir, 'parent.js'));
    assert.equal(found.file, path.join(dir, 'sibling.workflow.js'));
    await assert.rejects(
      resolve({ scriptPath: 'missing.js' }, path.join(dir, 'parent.js')),
      /Workflow script file not found: .*missing\.js/,
    );
    await assert.rejects(resolve({ scriptPath: '.claude' }, path.join(dir, 'parent.js')), /is not a regular file/);
  });

  it('runs child workflows through the engine by name and by path', async () => {
    h = createHarness({ resolveWorkflow: registryResolver(opts()) });
    const r = await h.run(`
      const a = await workflow('summarise', { topic: 'caching' })
      const b = await workflow({ scriptPath: ${JSON.stringify(path.join(dir, 'sibling.workflow.js'))} }, 'x')
      let c; try { await workflow('missing') } catch (e) { c = e.message }
      return { a, b, c }`);
    assert.equal(r.status, 'completed', r.error?.message);
    assert.deepEqual(r.result, {
      a: 'echo:summarise caching',
      b: 'sibling:x',
      c: "workflow('missing'): no workflow with that name. Available: summarise",
    });
  });
});
