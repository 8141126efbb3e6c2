/** Job progress on stderr: a redrawn bar on a terminal, a plain line every 10% otherwise (logs, CI). */
import type { Job } from '../../shared/model/jobs.js';

function formatEta(ms: number | null): string {
  if (ms === null) return '';
  const s = Math.ceil(ms / 1000);
  return s >= 60 ? `ETA ${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `ETA ${s}s`;
}

export class ProgressPrinter {
  private lastDecile = -1;
  private drawn = false;

  constructor(private readonly out: NodeJS.WriteStream, private readonly title: string) {}

  update(job: Job): void {
    const pct = Math.floor(job.progress * 100);
    const rows = job.counters.rows !== undefined ? `${job.counters.rows.toLocaleString('en')} rows` : job.message;
    if (this.out.isTTY) {
      const width = 28;
      const filled = Math.round((pct / 100) * width);
      this.out.write(`\r${this.title.slice(0, 30)} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(pct).padStart(3)}%  ${rows}  ${formatEta(job.etaMs)}\x1b[K`);
      this.drawn = true;
      return;
    }
    // 100% is left to finish(), which knows the final counts.
    const decile = Math.floor(pct / 10);
    if (decile > this.lastDecile && decile < 10) {
      this.lastDecile = decile;
      this.out.write(`${this.title}: ${pct}%  ${rows}  ${formatEta(job.etaMs)}\n`);
    }
  }

  finish(job: Job): void {
    if (this.out.isTTY) {
      if (job.state === 'succeeded') this.update({ ...job, progress: 1, etaMs: null });
      if (this.drawn) this.out.write('\n');
    } else if (job.state === 'succeeded') {
      const rows = job.counters.rows !== undefined ? `${job.counters.rows.toLocaleString('en')} rows` : job.message;
      this.out.write(`${this.title}: 100%  ${rows}\n`);
    }
  }
}
