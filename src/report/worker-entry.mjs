// The pool's worker bootstrap (src/report/parallel.ts). A worker thread does not get the main
// thread's tsx hooks for ESM: its static imports load, but a dynamic import() of a .ts module
// fails ("Unknown file extension .ts"), and the worker loads each task's module on demand.
// Registering tsx here, in the thread, fixes both.
try {
  (await import('tsx/esm/api')).register();
} catch {
  // no tsx (an installed package): nothing in TypeScript to load
}
export default (await import('./worker.ts')).default;

/** A grid point (src/grid/worker.ts), run as piscina's named task 'gridPoint'. */
export async function gridPoint(task) {
  return (await import('../grid/worker.ts')).gridPoint(task);
}
