// Locating settings problems: `file: what` becomes `file:line:column: what` where the place is known.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { locateProblem } from '../../../src/host/settingsProblems';

describe('host: settings problems located in their file', () => {
  let dir: string;
  beforeEach(() => (dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-problems-')))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('finds an array entry by its key path, the last of duplicate keys as JSON.parse keeps it, past a BOM', () => {
    const file = write(
      'settings.json',
      '\uFEFF{"permissions": {"deny": ["old"]},\n "permissions": {\n  "deny": ["ok", "Bash(x"]\n }}',
    );
    assert.equal(
      locateProblem(`${file}: permissions.deny[1]: missing ")"`),
      `${file}:3:18: permissions.deny[1]: missing ")"`,
    );
  });

  it('finds a quoted key path and a JSON error position (end of input: the end of the text)', () => {
    const file = write('s.json', '{\n  "sandbox": {\n    "network": 3\n  }\n}');
    assert.equal(
      locateProblem(`${file}: "sandbox.network" must be an object; ignored`),
      `${file}:3:5: "sandbox.network" must be an object; ignored`,
    );
    const cut = write('cut.json', '{\n  "a": [1,\n');
    assert.equal(
      locateProblem(`${cut}: not valid JSON (Unexpected end of JSON input); it may hold deny rules`),
      `${cut}:2:11: not valid JSON (Unexpected end of JSON input); it may hold deny rules`,
    );
  });

  it('works with ": " inside the path and leaves what it cannot place as it was', () => {
    fs.mkdirSync(path.join(dir, 'a: b'));
    const odd = write(path.join('a: b', 'settings.json'), '{"permissions": {"allow": ["x("]}}');
    assert.equal(locateProblem(`${odd}: permissions.allow[0]: bad`), `${odd}:1:28: permissions.allow[0]: bad`);
    for (const p of [
      `${odd}: permissions.ask[0]: not in the file`,
      `${path.join(dir, 'missing.json')}: cannot be read (EACCES)`,
      'DWF_SANDBOX="x": expected require, auto or off; ignored',
    ]) {
      assert.equal(locateProblem(p), p);
    }
  });
});
