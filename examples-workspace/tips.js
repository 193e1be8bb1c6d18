export const meta = {
  name: 'tips',
  description: 'Twelve short tips in parallel, then four of them drafted and polished in a pipeline (20 agents)',
  phases: [{ title: 'Brainstorm' }, { title: 'Refine' }],
}

const topics = ['caching', 'retries', 'logging', 'naming', 'testing', 'types', 'errors', 'config', 'docs', 'security', 'performance', 'accessibility']

phase('Brainstorm')
const tips = await parallel(
  topics.map((topic) => () => agent(`In two sentences, give one practical tip about ${topic} in a small JavaScript project.`, { label: `tip:${topic}`, model: 'haiku' })),
)

phase('Refine')
// No barrier between the stages: each topic is polished as soon as its own draft is ready. A
// stage gets (previous result, item, index); a null draft skips the polish.
const checklist = await pipeline(
  topics.slice(0, 4),
  (topic, _item, i) => agent(`Turn this tip into one checklist item:\n${tips[i]}`, { label: `draft:${topic}`, model: 'haiku' }),
  (draft, topic) => agent(`Shorten to at most twelve words:\n${draft}`, { label: `polish:${topic}`, model: 'haiku' }),
)

log(`${checklist.filter(Boolean).length} checklist items`)
return checklist
