export const meta = {
  name: 'fan-out',
  description: 'Three agents in parallel, then two items through a two-stage pipeline',
  phases: [{ title: 'Survey' }, { title: 'Refine' }],
}

phase('Survey')
const notes = await parallel(['alpha', 'beta', 'gamma'].map((topic) => () => agent(`Survey ${topic}`, { label: `survey:${topic}` })))

phase('Refine')
const refined = await pipeline(
  ['one', 'two'],
  (item) => agent(`Draft ${item}`, { label: `draft:${item}` }),
  (draft, item) => agent(`Polish ${item}`, { label: `polish:${item}` }),
)

return { notes, refined }
