export const meta = {
  name: 'reader',
  description: 'One agent that reads a file with a tool, then answers',
  phases: [],
}

log('reading the README')
const summary = await agent('Read README.md and summarise it', { label: 'reader' })
log('summary ready')
return summary
