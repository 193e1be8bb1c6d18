// A remote agent's transcript travels with its result: the worker hands over the file its runner
// wrote (and deletes it, so a worker's disk does not fill), the conductor keeps it where a local
// agent's transcript would be, so the Runs view and `dwf` open it the same way.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { transcriptFileName } from '../../agent/transcript';
import { TRANSCRIPT_LIMIT } from './protocol';

function transcriptPath(runsDir: string, runId: string, agentId: string, attempt: number): string {
  return path.join(runsDir, runId, 'transcripts', transcriptFileName(agentId, attempt));
}

/** Worker side: the agent's transcript as text (whole lines, at most `limit` bytes), then removed. */
export function takeTranscript(
  runsDir: string,
  agent: { runId: string; agentId: string; attempt: number },
  limit = TRANSCRIPT_LIMIT,
): string | undefined {
  const file = transcriptPath(runsDir, agent.runId, agent.agentId, agent.attempt);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined; // none written (the runner could not open it): the result goes without
  }
  fs.rmSync(file, { force: true });
  if (Buffer.byteLength(text) <= limit) return text;
  const cut = Buffer.from(text).subarray(0, limit).toString('utf8');
  return cut.slice(0, cut.lastIndexOf('\n') + 1);
}

/** Conductor side: the transcript written where the run's local agents write theirs. */
export function keepTranscript(
  runsDir: string,
  agent: { runId: string; agentId: string; attempt: number },
  text: string,
): void {
  const file = transcriptPath(runsDir, agent.runId, agent.agentId, agent.attempt);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, text, { mode: 0o600 });
}
