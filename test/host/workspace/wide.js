export const meta = {
  name: 'wide',
  description: '300 agents in one parallel group',
  phases: [{ title: 'Fan out' }],
}

phase('Fan out')
const results = await parallel(Array.from({ length: 300 }, (_, i) => () => agent(`Wide ${i}`, { label: `wide:${i}` })))
return results.filter((r) => r !== null).length
