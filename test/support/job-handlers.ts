import { appendFileSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobHandlers, JobRun } from '../../src/jobs/index.ts';

/** Every test job writes what happens to it, one line each, to the file its payload names. */
interface Traced {
  file: string;
  key: string;
}

const note = ({ file, key }: Traced, what: string) =>
  appendFileSync(file, `${key} ${what} ${process.pid} ${Date.now()}\n`);

/** The lines test jobs wrote, as `[key, what, pid, time]`. */
export function traceOf(file: string): string[][] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // Nothing written yet.
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' '));
}

const started = (payload: Traced, job: JobRun) => note(payload, `started-${job.attempt}`);

/** Whether the test wrote `word` for this job (`<key> <word>`) to steer it. */
const said = ({ file, key }: Traced, word: string) =>
  traceOf(file).some((line) => line[0] === key && line[1] === word);

/** Jobs the queue tests run, in process and in child workers (test/support/job-worker.ts). */
export const testHandlers: JobHandlers = {
  /** Takes `ms`, then is done. */
  record: {
    async run(_services, payload: Traced & { ms: number }, job) {
      started(payload, job);
      await sleep(payload.ms);
      note(payload, 'done');
    },
  },
  /** Runs until its file says `release` (or its worker lets it go), then is done. */
  hang: {
    async run(_services, payload: Traced, job) {
      started(payload, job);
      while (!said(payload, 'release')) await sleep(50, undefined, { signal: job.signal });
      note(payload, 'done');
    },
  },
  /** Fails until its file says `fixed`. */
  fail: {
    async run(_services, payload: Traced, job) {
      started(payload, job);
      if (!said(payload, 'fixed')) {
        throw new Error(`boom on attempt ${job.attempt}`);
      }
      note(payload, 'done');
    },
    async failed(_services, payload: Traced, error) {
      note(payload, `gave-up:${error.replaceAll(' ', '_')}`);
    },
  },
};
