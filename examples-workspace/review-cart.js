export const meta = {
  name: 'review-cart',
  description: 'Three reviewers read src/cart.js for one concern each, then one sums up',
  phases: [{ title: 'Review' }, { title: 'Summary' }],
}

const concerns = ['off-by-one and rounding errors', 'missing input validation', 'confusing names']

phase('Review')
const findings = await parallel(
  concerns.map((concern) => () =>
    agent(`Read src/cart.js and list at most three problems about ${concern}, each with its line number. Do not edit anything.`, {
      label: `review:${concern.split(' ')[0]}`,
      disallowedTools: ['Write', 'Edit', 'Bash'],
    }),
  ),
)

phase('Summary')
return agent(`Merge these reviews of src/cart.js into one short prioritised list:\n\n${findings.filter(Boolean).join('\n\n')}`, { label: 'summary' })
