// The Runs tree's inline Allow and Deny on an agent waiting for approval. Deny answers at once.
// Allow answers "Allow once" at once only for a command the notification shows whole and that is
// not destructive; any other command opens the modal with the whole command first (Deny leads there).
import * as vscode from 'vscode';
import type { Approvals, AnswerOutcome } from './approvals';
import { allowsOneClick } from './approvalText';
import type { RunsElement, RunsTreeProvider } from '../runs/runsTree';

export function approvalTreeCommands(approvals: Approvals, runsTree: RunsTreeProvider) {
  const questionOf = (el: RunsElement | undefined) => {
    const agent = el && runsTree.agent(el);
    const q = agent && approvals.forAgent(agent.session.runId, agent.node.agentId);
    if (!q)
      void vscode.window.showInformationMessage(
        `${agent ? 'This agent is' : 'No agent is'} not waiting for approval (any more).`,
      );
    return q;
  };
  return {
    allowWaitingAgent: async (el?: RunsElement): Promise<AnswerOutcome | 'reviewed' | undefined> => {
      const q = questionOf(el);
      if (!q) return undefined;
      if (allowsOneClick(q)) return approvals.answer(q.id, 'once');
      await approvals.review(q.id);
      return 'reviewed';
    },
    denyWaitingAgent: (el?: RunsElement): AnswerOutcome | undefined => {
      const q = questionOf(el);
      return q ? approvals.answer(q.id, 'deny') : undefined;
    },
  };
}
