export const meta = {
  name: 'worker-edit',
  description: 'One agent that edits a file while the test looks at the agent worker (its tool calls come from the test)',
  phases: [],
}

return await agent('Edit the worker notes', { label: 'worker-editor' })
