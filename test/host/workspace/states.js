export const meta = {
  name: 'states',
  description: 'Agents ending in each state: done, done with a tool error, skipped, queued, stopped',
  phases: [],
}

await parallel([() => agent('State done', { label: 'state:done' }), () => agent('State tool error', { label: 'state:tools' })])
return await parallel([
  () => agent('State hold one', { label: 'state:hold1' }),
  () => agent('State skip', { label: 'state:skip' }),
  () => agent('State hold two', { label: 'state:hold2' }),
])
