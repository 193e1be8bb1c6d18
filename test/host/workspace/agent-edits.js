export const meta = {
  name: 'agent-edits',
  description: 'One agent that reads, edits and writes files (its tool calls come from the test)',
  phases: [],
}

return await agent('Edit the notes', { label: 'editor' })
