export const meta = {
  name: 'worker-crash',
  description: 'One agent whose worker the test ends mid-run',
  phases: [],
}

return await agent('Wait for the crash', { label: 'doomed' })
