// Shapes of the saved-workflow registry (spec §6.1–6.2).

export type WorkflowOrigin = 'bundled' | 'plugin' | 'personal' | 'project';

/** A workflow found on disk, keyed by its `meta.name` (not its file name). */
export interface SavedWorkflow {
  name: string;
  description: string;
  whenToUse?: string;
  /** Titles of `meta.phases`, in order. */
  phases: string[];
  origin: WorkflowOrigin;
  /** Absolute path of the .js file. */
  path: string;
  /** The plugin that ships it (its name is then `<plugin>:<meta.name>`). */
  plugin?: string;
}

export interface RegistryOptions {
  cwd: string;
  /** Default: nearest ancestor of cwd with `.git`, else cwd. */
  repoRoot?: string;
  /** Default: `$CLAUDE_CONFIG_DIR/workflows` or `~/.claude/workflows`. */
  personalDir?: string;
  /** Folder of the workflows shipped with the extension; none when omitted. */
  bundledDir?: string;
  /** `$CLAUDE_CONFIG_DIR` or `~/.claude`: where installed plugins are listed. */
  configDir?: string;
  /** Plugin folders named explicitly (`dwf --plugin-dir`), besides the installed ones. */
  pluginDirs?: readonly string[];
  /** More workspace folders workflow({scriptPath}) may read from (cwd and repoRoot always count). */
  workspaceRoots?: string[];
}
