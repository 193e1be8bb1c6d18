// The workflows shipped in workflows/ (listed as Bundled): each parses as a strict inline script
// would (determinism check included), its meta names it after its file and documents its args,
// and the registry lists them as bundled, below a personal or project workflow of the same name.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseWorkflowScript } from '../../src/core/script';
import { discoverWorkflows } from '../../src/core/registry';

const BUNDLED = path.resolve(__dirname, '../../../workflows');
const NAMES = ['bug-hunt', 'code-review', 'deep-research'];

describe('bundled workflows (workflows/)', () => {
  it('are exactly deep-research, code-review and bug-hunt', () => {
    assert.deepEqual(
      fs
        .readdirSync(BUNDLED)
        .filter((f) => f.endsWith('.js'))
        .sort(),
      NAMES.map((n) => `${n}.js`),
    );
  });

  for (const name of NAMES) {
    it(`${name}.js parses with the inline determinism check; meta names it, documents args and phases`, () => {
      const file = path.join(BUNDLED, `${name}.js`);
      const { meta } = parseWorkflowScript(fs.readFileSync(file, 'utf8'), file, { inline: true });
      assert.equal(meta.name, name);
      assert.ok(meta.description.length > 20, 'a real description');
      assert.match(meta.whenToUse ?? '', /^args: /, 'whenToUse says what args it takes');
      assert.ok(meta.phases.length >= 3, 'phases announced');
    });
  }

  describe('in the registry', () => {
    let tmp: string;
    beforeEach(() => {
      tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-bundled-')));
      fs.mkdirSync(path.join(tmp, 'repo', '.git'), { recursive: true });
    });
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    const write = (rel: string, name: string) => {
      const file = path.join(tmp, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `export const meta = { name: '${name}', description: 'mine' }\nreturn 1\n`);
    };

    it('are listed as bundled; a personal and a project workflow of the same name win', async () => {
      const options = { cwd: path.join(tmp, 'repo'), personalDir: path.join(tmp, 'personal'), bundledDir: BUNDLED };
      const before = await discoverWorkflows(options);
      assert.deepEqual(before.warnings, []);
      assert.deepEqual(
        before.workflows.map((w) => [w.name, w.origin, w.path]),
        NAMES.map((n) => [n, 'bundled', path.join(BUNDLED, `${n}.js`)]),
      );

      write('personal/hunt.js', 'bug-hunt');
      write('repo/.claude/workflows/review.js', 'code-review');
      const after = await discoverWorkflows(options);
      assert.deepEqual(
        after.workflows.map((w) => [w.name, w.origin]),
        [
          ['bug-hunt', 'personal'],
          ['code-review', 'project'],
          ['deep-research', 'bundled'],
        ],
      );
    });
  });
});
