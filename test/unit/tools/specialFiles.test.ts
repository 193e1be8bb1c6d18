// FIFOs, devices and sockets: no file tool opens them. Before, Read/Grep/Write on a FIFO blocked
// a libuv thread forever (and the dwf process with it, even after SIGTERM); /dev/zero never ends.
// Every call here must return at once: mocha's timeout (kept short) fails a hang.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { FsWorkspace } from '../../../src/agent/fsWorkspace';
import { editTool } from '../../../src/agent/tools/edit';
import { globTool } from '../../../src/agent/tools/glob';
import { grepTool } from '../../../src/agent/tools/grep';
import { readTool } from '../../../src/agent/tools/read';
import { readRegularFile } from '../../../src/agent/tools/regularFile';
import { writeTool } from '../../../src/agent/tools/write';
import type { TestContext } from './helpers';
import { makeContext, tempDir, write } from './helpers';

describe('file tools refuse FIFOs, devices and sockets', function () {
  this.timeout(5_000);
  let root: string;
  let ctx: TestContext;
  let fifo: string;
  beforeEach(() => {
    root = tempDir();
    ctx = makeContext(root);
    fifo = path.join(root, 'pipe');
    execFileSync('mkfifo', [fifo]); // nobody ever opens its write end: a blocking read would hang
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const refusedAsFifo = (r: { content: string; isError?: boolean }) => {
    assert.equal(r.isError, true, r.content);
    assert.match(r.content, /pipe is a FIFO \(named pipe\), not a regular file/);
  };

  it('Read, Write, Edit and Grep refuse a FIFO at once, and it stays a FIFO', async () => {
    refusedAsFifo(await readTool.run({ file_path: fifo }, ctx));
    refusedAsFifo(await writeTool.run({ file_path: fifo, content: 'x' }, ctx));
    refusedAsFifo(await editTool.run({ file_path: fifo, old_string: 'a', new_string: 'b' }, ctx));
    refusedAsFifo(await grepTool.run({ pattern: 'x', path: fifo }, ctx));
    assert.ok(fs.statSync(fifo).isFIFO(), 'Write did not replace the FIFO with a file');
    assert.deepEqual(ctx.workspace.reads, [], 'nothing reached the Workspace');
    assert.deepEqual(ctx.workspace.writes, []);
  });

  it('Glob and Grep over a folder leave the FIFO (and a link to it) out', async () => {
    const file = write(root, 'a.txt', 'needle\n');
    fs.symlinkSync(fifo, path.join(root, 'pipe-link')); // a link is listed as a file: its target is what counts
    const listed = await globTool.run({ pattern: '*' }, ctx);
    assert.equal(listed.content, file); // tinyglobby lists neither; Glob's own kind check is the second line
    assert.equal((await grepTool.run({ pattern: '.' }, ctx)).content, `Found 1 file\n${file}`);
  });

  it('a socket is refused too', async () => {
    const sock = path.join(root, 'agent.sock');
    const server = net.createServer().listen(sock);
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const r = await readTool.run({ file_path: sock }, ctx);
      assert.equal(r.isError, true);
      assert.match(r.content, /agent\.sock is a socket, not a regular file/);
    } finally {
      server.close();
    }
  });

  it('a device is refused by kind, not only by the path guard', async () => {
    const dev = makeContext('/dev'); // a "workspace" at /dev, so only the kind check stands in the way
    const r = await readTool.run({ file_path: '/dev/zero' }, dev);
    assert.equal(r.isError, true);
    assert.match(r.content, /^\/dev\/zero is a character device, not a regular file/);
    const g = await grepTool.run({ pattern: 'x', path: '/dev/zero' }, dev);
    assert.match(g.content, /^\/dev\/zero is a character device/);
    // And a link to it inside a real workspace resolves outside: refused before any stat.
    fs.symlinkSync('/dev/zero', path.join(root, 'zeros'));
    const linked = await readTool.run({ file_path: path.join(root, 'zeros') }, ctx);
    assert.equal(linked.isError, true);
    assert.match(linked.content, /outside the workspace/);
  });

  it('the Workspace backstop: readFile opens without blocking and refuses, writeFile refuses', async () => {
    const ws = new FsWorkspace([root]);
    await assert.rejects(ws.readFile(fifo), /pipe is a FIFO \(named pipe\), not a regular file/);
    await assert.rejects(ws.writeFile(fifo, 'x'), /pipe is a FIFO \(named pipe\), not a regular file/);
    assert.ok(fs.statSync(fifo).isFIFO());
    await assert.rejects(readRegularFile('/dev/zero'), /\/dev\/zero is a character device/);
    await assert.rejects(readRegularFile(root), /is a directory, not a regular file/);
    assert.equal(await readRegularFile(write(root, 'ok.txt', 'fine')), 'fine');
  });
});
