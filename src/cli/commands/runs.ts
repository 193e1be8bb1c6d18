// `dwf runs`: recent runs of this workspace, newest first.
import { parseCommand, positiveInt } from '../args';
import type { RunRecord } from '../../core';
import type { CliIo } from '../io';
import { HELP, printHelp } from '../usage';
import { ago, count, table } from '../format';
import { displayPath, workspaceOf } from '../workspace';

export async function runsCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(
    'runs',
    argv,
    { limit: { type: 'string' }, json: { type: 'boolean' } },
    { min: 0, max: 0, names: '' },
  );
  if (values.help) return printHelp(io, HELP.runs);
  const limit = positiveInt(values, 'limit', 'runs') ?? 20;
  const ws = workspaceOf(io);
  const records = ws.store.list().slice(0, limit);
  // A record left 'running' by a process that no longer exists was killed: say so.
  const status = (r: RunRecord) => (r.status === 'running' && !ws.store.isLive(r) ? 'interrupted' : r.status);
  if (values.json) {
    io.stdout.write(JSON.stringify(records.map((r) => ({ ...r, status: status(r) }))) + '\n');
    return 0;
  }
  if (records.length === 0) {
    io.stdout.write(`No runs in ${displayPath(ws.cwd, ws.store.root)} yet.\n`);
    return 0;
  }
  const now = Date.now();
  const rows = [
    ['RUN', 'STATUS', 'AGENTS', 'TOKENS IN/OUT', 'WHEN', 'NAME'],
    ...records.map((r) => [
      r.runId,
      status(r),
      `${r.agents.done + r.agents.cached}/${r.agents.total}${r.agents.failed ? ` (${r.agents.failed} failed)` : ''}`,
      `${count(r.usage.input)}/${count(r.usage.output)}`,
      ago(now - r.createdAt),
      r.name,
    ]),
  ];
  io.stdout.write(table(rows).join('\n') + '\n');
  return 0;
}
