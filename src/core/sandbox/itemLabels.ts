// The host's side of a pipeline's item labels (prelude itemLabels): the guest sends one short name
// per item (a file name, a topic) so the Runs view can label slots by item instead of `[3]`. The
// text comes from the script, so it is checked here: a JSON array of strings, one per slot, each
// cut to MAX_ITEM_LABEL; anything else is dropped (the slots keep their index).

export const MAX_ITEM_LABEL = 80;

/** The labels of a group of `size` slots, or undefined when there are none (or they are malformed). */
export function itemLabelsFrom(json: string | undefined, size: number): string[] | undefined {
  if (json === undefined || json === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== size || !parsed.every((l) => typeof l === 'string')) return undefined;
  const labels = (parsed as string[]).map((l) => l.slice(0, MAX_ITEM_LABEL));
  return labels.some((l) => l.trim() !== '') ? labels : undefined;
}
