// Short previews of prompts and results for events (tree tooltips, progress lines).
const PREVIEW = 400;

export function preview(value: unknown): string {
  const s = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return s.length > PREVIEW ? s.slice(0, PREVIEW) + '…' : s;
}
