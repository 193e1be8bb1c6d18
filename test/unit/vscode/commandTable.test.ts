// The command table against package.json: every contributed command has a handler in the table
// (commandTable.ts maps each COMMANDS name to one, checked by the compiler), and every command the
// table registers is contributed, except the few internal ones our own links and quick fixes call.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS, INTERNAL_COMMANDS } from '../../../src/vscode/commandIds';

const ROOT = path.resolve(__dirname, '../../../..');

interface Manifest {
  contributes: { commands: { command: string }[]; menus: Record<string, { command: string }[]> };
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
const contributed = manifest.contributes.commands.map((c) => c.command);
const registered: string[] = Object.values(COMMANDS);

describe('vscode/commandTable', () => {
  it('registers each contributed command, and only those besides the internal ones', () => {
    const sorted = (ids: Iterable<string>) => [...ids].sort();
    assert.deepEqual(
      sorted(contributed),
      sorted(registered.filter((id) => !INTERNAL_COMMANDS.includes(id as (typeof INTERNAL_COMMANDS)[number]))),
    );
    assert.equal(new Set(registered).size, registered.length, 'no id twice in the table');
    assert.equal(new Set(contributed).size, contributed.length, 'no command contributed twice');
  });

  it('contributes none of the internal commands (they take arguments only our links pass)', () => {
    assert.ok(INTERNAL_COMMANDS.length > 0);
    for (const id of INTERNAL_COMMANDS) assert.ok(!contributed.includes(id), `${id} is contributed`);
  });

  it('menus name only commands the table registers', () => {
    for (const [menu, items] of Object.entries(manifest.contributes.menus))
      for (const item of items) assert.ok(registered.includes(item.command), `${menu}: ${item.command} has no handler`);
  });
});
