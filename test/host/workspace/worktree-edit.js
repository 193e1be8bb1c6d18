export const meta = {
  name: 'worktree-edit',
  description: 'One agent in its own git worktree edits a file (its tool calls come from the test)',
  phases: [],
}

return await agent('Edit the notes in a worktree', { label: 'isolated editor', isolation: 'worktree' })
