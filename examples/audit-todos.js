export const meta = {
  name: 'audit-todos',
  description: 'Find TODO/FIXME/HACK comments and triage each: still relevant, effort, and a concrete next step',
  whenToUse: 'args: a folder to audit (default: the whole workspace)',
  phases: [{ title: 'Find' }, { title: 'Triage' }],
}

const ITEMS = {
  type: 'object',
  properties: { items: { type: 'array', items: { type: 'object', properties: { file: { type: 'string' }, line: { type: 'integer' }, text: { type: 'string' } }, required: ['file', 'line', 'text'] } } },
  required: ['items'],
}
const TRIAGE = {
  type: 'object',
  properties: { relevant: { type: 'boolean' }, effort: { enum: ['small', 'medium', 'large'] }, nextStep: { type: 'string' } },
  required: ['relevant', 'effort', 'nextStep'],
}

const folder = typeof args === 'string' && args.trim() ? args.trim() : '.'
phase('Find')
const found = await agent(`Use Grep to find comments containing TODO, FIXME or HACK under ${folder} (skip node_modules, dist, vendored code). Return at most 60 items with file, line and the comment text.`,
  { label: 'find todos', schema: ITEMS, effort: 'low' })
if (!found || found.items.length === 0) return { items: [] }
log(`${found.items.length} comment(s) found`)

phase('Triage')
const triaged = await parallel(found.items.map((it) => () =>
  agent(`This comment is at ${it.file}:${it.line}: "${it.text}". Read the surrounding code. Is it still relevant? How much work is it? What is the concrete next step?`,
    { label: `triage ${it.file}:${it.line}`, schema: TRIAGE, model: 'haiku' })
    .then((t) => t && { ...it, ...t })))

const items = triaged.filter(Boolean)
return {
  items: items.sort((a, b) => Number(b.relevant) - Number(a.relevant)),
  stale: items.filter((i) => !i.relevant).length,
}
