// The run must not start: the settings may hide a deny rule. Its own module, so the editor's main
// thread can recognise the refusal the agent worker reports without loading the agent layer.

/** The settings may hide a deny rule: the run must not start. Problems are located like warnings. */
export class SettingsRefusal extends Error {
  override name = 'SettingsRefusal';
  /** `fatal`: the ones that stop the run; `problems`: all of them, the fatal ones included. */
  constructor(
    readonly fatal: string[],
    readonly problems: string[],
  ) {
    super(`the permission rules are broken (${fatal.join('; ')}); fix them so the deny rules hold, then run again`);
  }
}
