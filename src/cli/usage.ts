// Help texts, one per command; `dwf --help` lists the commands.
export const COMMANDS = ['run', 'resume', 'estimate', 'list', 'runs', 'save', 'worker', 'engine'] as const;
export type CommandName = (typeof COMMANDS)[number];

const RUN_FLAGS = `  --args JSON          the script's \`args\`: JSON when it parses, else the raw string
  --concurrency N      agents running at once (default min(16, max(2, cpus − 2)))
  --budget TOKENS      output-token ceiling; past it agent() throws
  --max-cost USD       pause (exit 3) before an agent would start past this spend; resume with a higher cap
  --max-agents N       pause (exit 3) before the run's agent N+1 would start
  --model ID           default model for agents that name none (opus, sonnet, haiku or an id)
  --allow RULE         allow a command without asking, e.g. --allow 'Bash(npm test:*)'; repeatable
  --yes                approve every command an agent asks to run (headless runs deny otherwise);
                       for dwf run it is also the yes to a large run's question
  --json               progress on stderr; the last stdout line is one JSON summary
  --plugin-dir DIR     also load this Claude Code plugin's workflows and agents; repeatable
  --worktree-base REF  the commit isolation: 'worktree' agents start from (default HEAD)
  --slice-ms MS        longest the script may compute between awaits (default 30000; 100–3600000)
  --engine URL         the remote engine (PostgreSQL URL; default DWF_ENGINE_URL) for isolation: 'remote'
  --agents remote      run every agent of the run on the engine's workers ('dwf worker')`;

const CONFIRM_FLAGS = `  --confirm-above-agents N   ask before a run whose plan may start more than N agents (default 25)
  --confirm-above-tokens N   ask before a run whose plan may use more than N tokens (default 1500000)`;

export const HELP: Record<'main' | CommandName, string> = {
  main: `dwf — run Claude Code workflow scripts from a terminal or CI

Usage:
  dwf run <file | saved name> [options]   run a workflow script
  dwf resume <runId> [options]            continue a run; finished agents are replayed, not re-run
  dwf estimate <file | saved name>        the run's priced plan (agents, tokens, dollars); runs nothing
  dwf list                                saved workflows (project, personal, plugins)
  dwf runs                                recent runs in this workspace
  dwf save <runId> --project|--personal   save a run's script as a reusable workflow
  dwf engine init --engine URL            set up a remote engine's tables (once, before workers)
  dwf worker --engine URL [options]       run remote agents from the engine's queue

Run 'dwf <command> --help' for a command's options.

Environment:
  ANTHROPIC_API_KEY    required by run and resume
  ANTHROPIC_BASE_URL   another endpoint (gateways, compatible servers)
  CLAUDE_CONFIG_DIR    personal folder (default ~/.claude); saved workflows live in its workflows/
  DWF_ENGINE_URL       the remote engine's PostgreSQL URL (instead of --engine)

Exit codes: 0 completed, 1 failed, 2 script or arguments rejected before running, 3 paused at a cap, 130 stopped.
`,
  run: `Usage: dwf run <file | saved name> [options]

Runs a workflow script. A path that exists is run as a file (relative to the current folder);
anything else is looked up by name among saved workflows ('dwf list').
Runs are stored in <workspace>/.claude/workflow-runs, where <workspace> is the nearest folder
with .git. Ctrl+C stops the run and prints the command that resumes it.

A large run (its priced plan's high end above 25 agents or 1.5M tokens) is confirmed first: on
a terminal the plan is printed and dwf asks "Run up to 40 agents, about $1.20–$3.40? [y/N]";
headless (no terminal, CI, --json) it needs --yes, --max-cost or --max-agents, else exit 2.
Nothing starts before the answer.

Options:
${RUN_FLAGS}
${CONFIRM_FLAGS}
`,
  resume: `Usage: dwf resume <runId> [options]

Continues a stopped, failed or interrupted run under the same id. Every agent whose result is in
the run's journal is replayed without a model call; the rest run live. The run's stored script is
used (the copy taken when it started), not the file it came from, and its stored args are reused
unless --args is given.

Options:
${RUN_FLAGS}
`,
  worker: `Usage: dwf worker --engine URL [--repo DIR] [--concurrency N]

Runs agents of 'isolation: remote' (and of 'dwf run --agents remote') from the engine's queue:
each in a fresh git worktree of DIR (default: the repository of the current folder) at the run's
base commit, with the same tools and permission rules as a local agent. Each model turn and each
tool call is recorded in the engine: a worker that dies is taken over by another from its last
finished turn. Needs ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL) like dwf run. Stop with Ctrl+C.

Options:
  --engine URL         the engine's PostgreSQL URL (default DWF_ENGINE_URL); never printed
  --repo DIR           the repository agents work on (a clone holding the conductor's commits)
  --concurrency N      agents at once on this worker (default: CPU cores)
`,
  engine: `Usage: dwf engine init --engine URL

Creates the remote engine's tables in the PostgreSQL database at URL (default DWF_ENGINE_URL).
Run it once before the first worker starts; running it again changes nothing.
`,
  estimate: `Usage: dwf estimate <file | saved name> [--args JSON] [--model ID] [--json] [--plugin-dir DIR]…

Prints what a run would cost before anything runs: agents (the script evaluated with these args:
a parallel over 40 files is 40 agents), input and output tokens and dollars as low–high ranges,
per phase and per model, at list prices incl. cache reads and writes, and what the figures rest
on. When the same workflow ran before in this workspace, tokens per agent come from those runs'
journals, per call site ("basis: history"); otherwise from defaults ("basis: static").
Needs no API key and starts no agent.

Options:
  --args JSON          the script's \`args\`, as for dwf run
  --model ID           default model for agents that name none (as for dwf run)
  --json               print one JSON object: {agents, tokens:{input,output}, costUsd, phases, basis}
  --plugin-dir DIR     also load this Claude Code plugin's workflows; repeatable
`,
  list: `Usage: dwf list [--json] [--plugin-dir DIR]…

Saved workflows visible from here: project folders (.claude/workflows from the repository root
down to the current folder, the closest winning) over personal ones ($CLAUDE_CONFIG_DIR/workflows
or ~/.claude/workflows) over those of Claude Code plugins (installed and enabled, or named with
--plugin-dir), listed as <plugin>:<name>.
`,
  runs: `Usage: dwf runs [--limit N] [--json]

Recent runs in this workspace, newest first (default 20): id, status, agents finished of total,
tokens, when, name.
`,
  save: `Usage: dwf save <runId> --project|--personal [--name NAME] [--force]

Saves the run's script as <name>.js in the project's .claude/workflows (--project) or in your
personal folder (--personal). The name defaults to the script's meta.name. An existing file is
never replaced unless --force is given. Prints the saved path.
`,
};

/** Help asked for is output, on stdout, and a success. */
export function printHelp(io: { stdout: { write(s: string): unknown } }, text: string): number {
  io.stdout.write(text);
  return 0;
}
