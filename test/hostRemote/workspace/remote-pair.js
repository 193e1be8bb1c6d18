export const meta = { name: 'remote-pair', description: 'Two remote agents at once' }
return await parallel([
  () => agent('Finish while stopped', { label: 'early', isolation: 'remote' }),
  () => agent('Still running', { label: 'late', isolation: 'remote' }),
])
