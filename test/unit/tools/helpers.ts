// Test doubles for the tools: real temp directories, a plain path guard (resolve + realpath +
// inside a root), a scripted command gate, and a workspace that records what went through it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Workspace } from '../../../src/core/ports';
import { FsWorkspace, type WorkspaceGuardOptions } from '../../../src/agent/fsWorkspace';
import type { CommandCheck, CommandGate, PathGuard, ToolContext, ToolGate } from '../../../src/agent/tools/context';

export function tempDir(prefix = 'dwf-tools-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** Resolve against cwd, realpath the nearest existing ancestor, require a root prefix. */
export function simpleGuard(roots: string[], cwd: string): PathGuard {
  return {
    resolve(p) {
      const abs = path.resolve(cwd, p);
      const rest: string[] = [];
      let cur = abs;
      let real: string | undefined;
      while (real === undefined) {
        try {
          real = path.join(fs.realpathSync(cur), ...rest);
        } catch {
          const parent = path.dirname(cur);
          if (parent === cur) return { ok: false, reason: `Cannot resolve ${p}` };
          rest.unshift(path.basename(cur));
          cur = parent;
        }
      }
      const inside = roots.some((r) => real === r || real!.startsWith(r + path.sep));
      return inside
        ? { ok: true, real }
        : {
            ok: false,
            reason: `${p} resolves to ${real}, which is outside the workspace folders (${roots.join(', ')}); only files inside them can be used.`,
          };
    },
  };
}

export class ScriptedGate implements CommandGate {
  readonly asked: string[] = [];
  constructor(private readonly answer: (command: string) => CommandCheck = () => ({ allowed: true })) {}
  async check(command: string): Promise<CommandCheck> {
    this.asked.push(command);
    return this.answer(command);
  }
}

/** FsWorkspace plus a log of calls, and optional editor overlays (what an open editor shows). */
export class RecordingWorkspace implements Workspace {
  readonly inner: FsWorkspace;
  readonly writes: string[] = [];
  readonly reads: string[] = [];
  readonly overlay = new Map<string, string>();
  constructor(roots: string[], guard?: WorkspaceGuardOptions) {
    this.inner = new FsWorkspace(roots, guard);
  }
  get roots() {
    return this.inner.roots;
  }
  async readFile(p: string) {
    this.reads.push(p);
    return this.overlay.get(p) ?? this.inner.readFile(p);
  }
  async writeFile(p: string, content: string) {
    this.writes.push(p);
    this.overlay.delete(p);
    return this.inner.writeFile(p, content);
  }
  async exists(p: string) {
    return this.overlay.has(p) || this.inner.exists(p);
  }
}

/** A ToolGate with no rules: everything is allowed (tests of the tools themselves). */
export function openAccess(): ToolGate {
  const ok = { allowed: true } as const;
  return {
    readable: () => ok,
    authorizeRead: async () => ok,
    authorizeWrite: async () => ok,
    authorizeFetch: async () => ok,
  };
}

export interface TestContext extends ToolContext {
  workspace: RecordingWorkspace;
  commands: ScriptedGate;
}

export function makeContext(root: string, over: Partial<ToolContext> & { gate?: ScriptedGate } = {}): TestContext {
  const { gate, ...rest } = over;
  return {
    workspace: new RecordingWorkspace([root]),
    paths: simpleGuard([root], root),
    commands: gate ?? new ScriptedGate(),
    access: openAccess(),
    cwd: root,
    signal: new AbortController().signal,
    limits: { outputChars: 30_000, bashTimeoutMs: 20_000 },
    ...rest,
  } as TestContext;
}

export function write(root: string, rel: string, content: string | Buffer): string {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}
