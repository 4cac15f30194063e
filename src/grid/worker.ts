/**
 * A grid point on a worker thread, as piscina's named task 'gridPoint' (runGridLocal). From the
 * sources, src/report/worker-entry.mjs forwards here once tsx is registered in the thread;
 * bundled, this module is the thread's entry itself (dist/grid-worker.js, scripts/build.mjs).
 */
import { runPoint, type GridSpec, type PointRefused, type PointResult } from './grid.ts';
import { UserError } from '../util/errors.ts';

/** The point's result; a UserError comes back as its message (runGridLocal throws it again). */
export async function gridPoint({ grid, index }: { grid: GridSpec; index: number }): Promise<PointResult | PointRefused> {
  try {
    return await runPoint(grid, index);
  } catch (e) {
    if (e instanceof UserError) return { refused: e.message };
    throw e;
  }
}
