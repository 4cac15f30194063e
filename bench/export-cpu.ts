/**
 * CPU of this process's descendants (Chromium), in seconds, from /proc: shared by the export
 * benches (bench/export.ts per step of a figure, bench/export-screenshot.ts per screenshot),
 * by process type and, within a process, by thread (`sampleByThread`).
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK = 0.01; // USER_HZ = 100 on Linux
function procStat(pid: string, task?: string): { ppid: number; cpu: number; comm: string } | undefined {
  try {
    const s = readFileSync(task ? `/proc/${pid}/task/${task}/stat` : `/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
    return { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) * TICK, comm: s.slice(s.indexOf('(') + 1, s.lastIndexOf(')')) }; // its own utime + stime
  } catch { return undefined; } // exited
}
/**
 * What a Chromium thread does, from its name: the process's main thread (in a renderer: DOM,
 * style, layout, paint records and plotly's JavaScript), `compositor`, `viz` (the GPU process's
 * display compositor: compositing and screenshot readback with --disable-gpu), `workers` (the
 * thread pool: in a renderer, tile raster), `io` (IPC); the rest `other`.
 */
function threadRole(comm: string, main: boolean): string {
  if (main) return 'main';
  if (comm.startsWith('Compositor') && !comm.startsWith('CompositorTile')) return 'compositor';
  if (comm.startsWith('VizCompositor')) return 'viz';
  if (comm.startsWith('ThreadPool') || comm.startsWith('CompositorTile')) return 'workers';
  if (comm.includes('IOThread') || comm.includes('ChildIOT')) return 'io';
  return 'other';
}
/** Chromium's name for a process: its --type= (renderer, gpu-process, zygote, utility), 'browser' without one. */
function procType(pid: number): string {
  try {
    return /--type=([a-z-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 'browser';
  } catch { return 'exited'; }
}
export const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

/**
 * Chromium's CPU so far: for every descendant ever seen, its own utime+stime at the last sample
 * it was alive (not cutime: a reaped renderer's time moves into its parent's, counted twice). A renderer that exits keeps its last reading, so only what
 * a process spends after its last sample is missed (closing a tab, closing the browser).
 */
export class ChromiumCpu {
  private last = new Map<number, number>();
  private pids: number[] = [];
  private types = new Map<number, string>();
  /** Per thread ("pid/tid"): its group ("renderer main", …) and its CPU at the last sample. */
  private threads = new Map<string, { group: string; cpu: number }>();
  /** Node's CPU spent sampling (seconds), subtracted from node's column. */
  overhead = 0;
  /** Find the descendants again (new renderers, the print compositor). */
  rescan(): void {
    const c0 = process.cpuUsage();
    const all = new Map<number, number>();
    for (const d of readdirSync('/proc')) if (/^\d+$/.test(d)) { const s = procStat(d); if (s) all.set(Number(d), s.ppid); }
    const mine = new Set([process.pid]);
    for (let grew = true; grew;) { grew = false; for (const [p, pp] of all) if (!mine.has(p) && mine.has(pp)) { mine.add(p); grew = true; } }
    mine.delete(process.pid);
    this.pids = [...mine];
    for (const p of this.pids) if (!this.types.has(p)) this.types.set(p, procType(p));
    this.overhead += cpuSeconds(process.cpuUsage(c0));
    this.sample();
  }
  /** Chromium's CPU seconds so far. */
  sample(): number {
    return Object.values(this.sampleByType()).reduce((a, b) => a + b, 0);
  }
  /** Chromium's CPU seconds so far, by process type (browser, gpu-process, renderer, …). */
  sampleByType(): Record<string, number> {
    const c0 = process.cpuUsage();
    for (const p of this.pids) { const s = procStat(String(p)); if (s) this.last.set(p, s.cpu); }
    const t: Record<string, number> = {};
    for (const [p, v] of this.last) { const k = this.types.get(p) ?? 'browser'; t[k] = (t[k] ?? 0) + v; }
    this.overhead += cpuSeconds(process.cpuUsage(c0));
    return t;
  }
  /**
   * Chromium's CPU seconds so far by process type and thread role ("renderer main", "renderer
   * workers", "gpu-process viz", …; see threadRole). A thread keeps its last reading when it
   * exits, as a process does in `sampleByType`.
   */
  sampleByThread(): Record<string, number> {
    const c0 = process.cpuUsage();
    for (const p of this.pids) {
      let tids: string[];
      try { tids = readdirSync(`/proc/${p}/task`); } catch { continue; } // exited
      for (const tid of tids) {
        const s = procStat(String(p), tid);
        if (s) this.threads.set(`${p}/${tid}`, { group: `${this.types.get(p) ?? 'browser'} ${threadRole(s.comm, tid === String(p))}`, cpu: s.cpu });
      }
    }
    const t: Record<string, number> = {};
    for (const { group, cpu } of this.threads.values()) t[group] = (t[group] ?? 0) + cpu;
    this.overhead += cpuSeconds(process.cpuUsage(c0));
    return t;
  }
}
