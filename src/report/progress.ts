/**
 * Progress of long work (notebooks, claims, figure export) on stderr: cli-progress bars, one per
 * stage, on a terminal; plain `[stage i/n] label` lines otherwise (CI logs).
 */
import cliProgress from 'cli-progress';

export type Stage = 'notebooks' | 'claims' | 'figures' | 'report';
/** `running: true` announces the item about to start (a bar shows it; plain logs skip it). */
export interface ProgressEvent { stage: Stage; done: number; total: number; label: string; running?: boolean }
export type OnProgress = (e: ProgressEvent) => void;

export interface ConsoleProgress {
  (e: ProgressEvent): void;
  /** Close the bar (call once at the end, also on error). */
  stop(): void;
}

export function consoleProgress(stream: NodeJS.WriteStream = process.stderr): ConsoleProgress {
  // one bar per stage: stages overlap (figures are exported while the last claims run)
  let multi: cliProgress.MultiBar | undefined;
  const bars = new Map<Stage, cliProgress.SingleBar>();
  const tty = stream.isTTY === true;
  const report = ((e: ProgressEvent) => {
    if (!tty) { if (!e.running) stream.write(`[${e.stage} ${e.done}/${e.total}] ${e.label}\n`); return; }
    multi ??= new cliProgress.MultiBar({ format: '{stage} [{bar}] {value}/{total} {label}', stream, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic);
    let bar = bars.get(e.stage);
    if (!bar) { bar = multi.create(e.total, 0, { stage: e.stage.padEnd(9), label: '' }); bars.set(e.stage, bar); }
    bar.setTotal(e.total);
    bar.update(e.done, { stage: e.stage.padEnd(9), label: e.running ? `${e.label} …` : e.label });
  }) as ConsoleProgress;
  report.stop = () => { multi?.stop(); multi = undefined; bars.clear(); };
  return report;
}
