export const meta = {
  name: 'items',
  description: 'Sixty files through a two-stage pipeline, then one labelled summary (121 agents)',
  phases: [{ title: 'Review' }, { title: 'Sum up' }],
}

phase('Review')
const reviews = await pipeline(
  Array.from({ length: 60 }, (_, i) => `src/file${i}.ts`),
  (file) => agent(`Review ${file}`),
  (review, file) => agent(`Check ${file}: ${review}`),
)

phase('Sum up')
return await agent(`Summarize ${reviews.length} reviews`, { label: 'summary' })
