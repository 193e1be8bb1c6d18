export const meta = { name: 'remote-marked', description: "An isolation: 'remote' agent, without an engine" }
try {
  return await agent('Remote marked', { label: 'marked', isolation: 'remote' })
} catch (e) {
  return String(e.message)
}
