// Ids of the Runs view's changed-files nodes and the commands they run (shared by the tree and
// the commands, which receive these nodes as arguments).
import { COMMANDS } from '../commandIds';

/** Click on a modified file: its diff, before the change ↔ now. */
export const OPEN_CHANGES_COMMAND = COMMANDS.openChanges;
export const OPEN_CHANGED_FILE_COMMAND = COMMANDS.openChangedFile;
export const CLEAR_HIGHLIGHTS_COMMAND = COMMANDS.clearChangeHighlights;

/** The run's "Changed files (n)" node. */
export const RUN_CHANGES_NODE = 'changes';
const FILE_PREFIX = 'change:';

export function isChangeNode(nodeId: string): boolean {
  return nodeId === RUN_CHANGES_NODE || nodeId.startsWith(FILE_PREFIX);
}

export function fileNodeId(agentId: string, file: string): string {
  return `${FILE_PREFIX}${agentId}|${file}`;
}

/** The agent (empty: the run) and file of a file node; undefined for other nodes. */
export function parseFileNode(nodeId: string): { agentId: string; file: string } | undefined {
  if (!nodeId.startsWith(FILE_PREFIX)) return undefined;
  const rest = nodeId.slice(FILE_PREFIX.length);
  const bar = rest.indexOf('|');
  return bar < 0 ? undefined : { agentId: rest.slice(0, bar), file: rest.slice(bar + 1) };
}
