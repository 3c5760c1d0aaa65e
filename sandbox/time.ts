/**
 * Harf writes times as `H:MM:SS`, or `H:MM:SS.ffffff` when there is a fraction.
 * `micro: true` always writes the fraction (the alignment endpoint does).
 */
export function formatTime(seconds: number, options: { micro?: boolean } = {}): string {
  const totalMicros = Math.max(0, Math.round(seconds * 1e6));
  const wholeSeconds = Math.floor(totalMicros / 1e6);
  const micros = totalMicros - wholeSeconds * 1e6;
  const h = Math.floor(wholeSeconds / 3600);
  const m = Math.floor((wholeSeconds % 3600) / 60);
  const s = wholeSeconds % 60;
  const base = `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  if (!options.micro && micros === 0) return base;
  return `${base}.${String(micros).padStart(6, '0')}`;
}
