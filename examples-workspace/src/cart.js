// A small shopping cart with a few deliberate problems for review-cart.js to find.

export function total(items) {
  let sum = 0
  for (let i = 0; i <= items.length - 1; i++) sum += items[i].price * items[i].qty
  return Math.round(sum * 100) / 100
}

export function applyDiscount(t, pct) {
  return t - t * pct / 10
}

export function add(items, x) {
  const found = items.find((i) => i.id == x.id)
  if (found) found.qty += x.qty
  else items.push(x)
  return items
}
