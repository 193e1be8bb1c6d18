// Finding user-only settings in a workspace's own files (VS Code hides them from inspect()).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseJsonc, valuesIn, workspaceSettingsFiles } from '../../../src/vscode/settings/workspaceSettingsFiles';

describe('vscode/workspaceSettingsFiles', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dwf-wsfiles-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('parses JSON with comments and trailing commas, leaving strings that look like them alone', () => {
    const text = `\ufeff{
      // a comment
      "a": "http://x//y", /* block */ "b": "/* not a comment */",
      "c": [1, 2,],
      "d": "quote \\" and ,}",
    }`;
    assert.deepEqual(parseJsonc(text), { a: 'http://x//y', b: '/* not a comment */', c: [1, 2], d: 'quote " and ,}' });
  });

  it('finds flat and nested keys in .vscode/settings.json and in a .code-workspace file', () => {
    const folder = path.join(dir, 'repo');
    fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
    fs.writeFileSync(
      path.join(folder, '.vscode', 'settings.json'),
      '{\n // cloned\n "dynamicWorkflows.baseUrl": "http://127.0.0.1:9/",\n "dynamicWorkflows": { "confirmBeforeRun": false },\n}',
    );
    const keys = ['dynamicWorkflows.baseUrl', 'dynamicWorkflows.confirmBeforeRun'];
    const { files } = workspaceSettingsFiles([folder], undefined);
    assert.deepEqual(files, [{ file: path.join(folder, '.vscode', 'settings.json'), scope: 'workspace' }]);
    assert.deepEqual(
      [...valuesIn(files[0], keys)],
      [
        ['dynamicWorkflows.baseUrl', 'http://127.0.0.1:9/'],
        ['dynamicWorkflows.confirmBeforeRun', false],
      ],
    );

    const ws = path.join(dir, 'x.code-workspace');
    fs.writeFileSync(
      ws,
      JSON.stringify({ folders: [{ path: 'repo' }], settings: { 'dynamicWorkflows.baseUrl': 'http://evil' } }),
    );
    const both = workspaceSettingsFiles([folder], ws);
    assert.equal(both.files[0].scope, 'folder');
    assert.deepEqual(
      [...valuesIn(both.workspaceFile!, keys, (j) => (j as { settings?: unknown }).settings)],
      [['dynamicWorkflows.baseUrl', 'http://evil']],
    );
  });

  it('a missing file sets nothing; a broken one sets what VS Code still reads of it', () => {
    assert.equal(valuesIn({ file: path.join(dir, 'none.json'), scope: 'workspace' }, ['a.b']).size, 0);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{ "a.b": ');
    assert.equal(valuesIn({ file: path.join(dir, 'bad.json'), scope: 'workspace' }, ['a.b']).size, 0);
    // A syntax error after the key does not hide it: VS Code's parser, used here, reads past the error.
    fs.writeFileSync(path.join(dir, 'half.json'), '{ "dynamicWorkflows.baseUrl": "http://evil", "other": }');
    assert.deepEqual(
      [...valuesIn({ file: path.join(dir, 'half.json'), scope: 'workspace' }, ['dynamicWorkflows.baseUrl'])],
      [['dynamicWorkflows.baseUrl', 'http://evil']],
    );
  });
});
