export const meta = {
  name: 'approve',
  description: 'One agent that runs a shell command no rule allows: VS Code asks you to approve it',
}

return await agent('Run the shell command `echo approved-by-a-person` and report its output.', { label: 'shell', model: 'haiku' })
