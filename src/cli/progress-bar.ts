const BAR_WIDTH = 30;
const REDRAW_MS = 100;

import type { ProgressListener } from '../domain/progress.ts';

export interface ProgressBar {
  update: ProgressListener;
  /** Ends a half-drawn line, so an error message starts on a line of its own. */
  end(): void;
}

/**
 * `posts  [#######-----] 57% 57000/100000`, redrawn in place at most every 100 ms. Only on
 * a terminal: piped or logged output gets the summary line alone.
 */
export function createProgressBar(
  stream: Pick<NodeJS.WriteStream, 'isTTY' | 'write'> = process.stderr,
  now: () => number = performance.now.bind(performance),
): ProgressBar | undefined {
  if (!stream.isTTY) return undefined;
  let drawnAt = Number.NEGATIVE_INFINITY;
  let open = false;
  return {
    update(stage, done, total) {
      const finished = done >= total;
      if (!finished && now() - drawnAt < REDRAW_MS) return;
      drawnAt = now();
      const shown = Math.min(done, total);
      // Integer arithmetic: 570 / 1000 * 100 is 56.99999... in floating point.
      const filled = Math.round((shown * BAR_WIDTH) / total);
      const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
      const percent = `${Math.floor((shown * 100) / total)}%`.padStart(4);
      stream.write(
        `\r${stage.padEnd(7)}[${bar}] ${percent} ${done}/${total}${finished ? '\n' : ''}`,
      );
      open = !finished;
    },
    end() {
      if (open) stream.write('\n');
      open = false;
    },
  };
}
