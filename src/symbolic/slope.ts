/** Least-squares slope of log(err) on log(v) (all points; the caller drops floor points). */
export function logLogSlope(v: ArrayLike<number>, err: ArrayLike<number>): number {
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < v.length; i++) {
    const x = Math.log(v[i]!), y = Math.log(err[i]!);
    n++; sx += x; sy += y; sxx += x * x; sxy += x * y;
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}
