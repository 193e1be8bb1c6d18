export const meta = {
  name: 'lazy-hello',
  description: 'One agent, the first run after the agent layer is loaded',
  phases: [],
}

return await agent('Say hello from a lazy start', { label: 'hello' })
