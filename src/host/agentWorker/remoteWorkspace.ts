// The agent worker's Workspace for the editor's main tree: the guards run here, next to the gates
// whose grants they check; what the editor must do — read an open (maybe unsaved) document, apply
// an edit as an undoable WorkspaceEdit — is asked of the main thread.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Workspace } from '../../core';
import { writeProtection } from '../../agent/permissions/protected';
import {
  absoluteWorkspacePath,
  checkedWriteTarget,
  existsOnDisk,
  type WorkspaceGuardOptions,
} from '../../agent/workspaceBackstop';
import type { AnswerOf, Question } from './protocol';

export type Ask = <Q extends Question>(question: Q) => Promise<AnswerOf<Q>>;

export class RemoteWorkspace implements Workspace {
  readonly roots: string[];

  constructor(
    roots: string[],
    private readonly guard: WorkspaceGuardOptions,
    private readonly ask: Ask,
    private readonly agent?: { runId: string; agentId: string },
  ) {
    if (roots.length === 0) throw new Error('RemoteWorkspace needs at least one workspace folder');
    this.roots = roots.map((r) => fs.realpathSync(path.resolve(r)));
  }

  readFile(file: string): Promise<string> {
    return this.ask({ op: 'read', file: absoluteWorkspacePath(file) });
  }

  /** On disk, as the editor's workspace does: both threads see the same files. */
  exists(file: string): Promise<boolean> {
    return existsOnDisk(file);
  }

  async writeFile(file: string, content: string): Promise<void> {
    // The port's backstop ("inside one of roots", protected paths only when granted), on the
    // physical path; the grant is consumed here, and the main thread is told it was given.
    const target = checkedWriteTarget(file, this.roots, this.guard);
    const approved = writeProtection(target, this.roots, this.guard.runsDirs)?.level === 'ask';
    await this.ask({ op: 'write', file: target, content, approved, ...(this.agent ? { agent: this.agent } : {}) });
  }

  /** The same workspace, its writes attributed to one agent (the editor's change log). */
  forAgent(agent: { runId: string; agentId: string }): Workspace {
    return new RemoteWorkspace(this.roots, this.guard, this.ask, agent);
  }
}
