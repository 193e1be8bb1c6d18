export const meta = { name: 'remote-pair', description: 'Two remote agents at once' }
return await parallel([
  () => agent('Finish before the stop', { label: 'early', isolation: 'remote' }),
  () => agent('Cut off by the stop', { label: 'late', isolation: 'remote' }),
])
