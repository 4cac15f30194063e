/**
 * A grid point on a worker thread, as piscina's named task 'gridPoint' (runGridLocal). From the
 * sources, src/report/worker-entry.mjs forwards here once tsx is registered in the thread;
 * bundled, this module is the thread's entry itself (dist/grid-worker.js, scripts/build.mjs).
 */
import { runPoint, type GridSpec, type PointResult } from './grid.ts';

export function gridPoint({ grid, index }: { grid: GridSpec; index: number }): Promise<PointResult> {
  return runPoint(grid, index);
}
