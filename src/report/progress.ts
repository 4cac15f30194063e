/**
 * Progress of long work (notebooks, claims, figure export) on stderr: a cli-progress bar per
 * stage on a terminal, plain `[stage i/n] label` lines otherwise (CI logs).
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
  let bar: cliProgress.SingleBar | undefined;
  let stage: Stage | undefined;
  const tty = stream.isTTY === true;
  const report = ((e: ProgressEvent) => {
    if (!tty) { if (!e.running) stream.write(`[${e.stage} ${e.done}/${e.total}] ${e.label}\n`); return; }
    if (stage !== e.stage || !bar) {
      bar?.stop();
      stage = e.stage;
      bar = new cliProgress.SingleBar({ format: `${e.stage.padEnd(9)} [{bar}] {value}/{total} {label}`, stream, hideCursor: true },
        cliProgress.Presets.shades_classic);
      bar.start(e.total, 0, { label: '' });
    }
    bar.setTotal(e.total);
    bar.update(e.done, { label: e.running ? `${e.label} …` : e.label });
  }) as ConsoleProgress;
  report.stop = () => { bar?.stop(); bar = undefined; stage = undefined; };
  return report;
}
