// Short numbers and durations for every host's display (CLI live view, tree view, status bar).

/** 950, 12.3k, 4.56M: short enough for a status line. */
export function count(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 2 : 1).replace(/\.?0+$/, '')}k`;
  return `${(n / 1e6).toFixed(2).replace(/\.?0+$/, '')}M`;
}

/** 0.4s, 12s, 3m05s, 1h02m. */
export function duration(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.floor(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** $1.23, $0.0042, and "<$0.0001" rather than a misleading $0.0000 for tiny but real spend. */
export function usd(n: number): string {
  if (n > 0 && n < 0.0001) return '<$0.0001';
  return `$${n < 0.01 && n > 0 ? n.toFixed(4) : n.toFixed(2)}`;
}
