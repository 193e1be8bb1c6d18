export const meta = {
  name: 'approvals',
  description: 'Two agents that run commands no rule allows, and one that needs nothing',
  phases: [],
}

return await parallel([
  () => agent('Shell one', { label: 'shell:1' }),
  () => agent('Shell two', { label: 'shell:2' }),
  () => agent('Quiet', { label: 'quiet' }),
])
