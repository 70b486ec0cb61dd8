import type { Mailer } from './mailer.ts';

/** One unexpected error, as the admins read it. */
export interface ErrorReport {
  time: Date;
  /** `GET /index`, or what else failed. */
  where: string;
  requestId?: string;
  /** The stack, or the message when there is none. */
  details: string;
}

/** At most this many errors are described in one email; the rest are counted. */
const MAX_DESCRIBED = 20;

function describe(report: ErrorReport): string {
  const id = report.requestId ? ` (request ${report.requestId})` : '';
  return `${report.time.toISOString()} ${report.where}${id}\n${report.details}\n`;
}

/**
 * Emails unexpected errors to the admins, as the Flask Microblog does, without flooding
 * them: the first error of a quiet spell goes out at once; any more within `windowMs` are
 * gathered into one digest sent when the window ends.
 */
export class ErrorMail {
  readonly #mailer: Mailer;
  readonly #admins: string[];
  readonly #windowMs: number;
  readonly #onFailure: (error: unknown) => void;
  #lastSent = Number.NEGATIVE_INFINITY;
  #pending: ErrorReport[] = [];
  #unlisted = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    mailer: Mailer,
    admins: string[],
    {
      windowMs = 5 * 60_000,
      onFailure = () => {},
    }: { windowMs?: number; onFailure?: (error: unknown) => void } = {},
  ) {
    this.#mailer = mailer;
    this.#admins = admins;
    this.#windowMs = windowMs;
    this.#onFailure = onFailure;
  }

  report(report: ErrorReport): void {
    const now = Date.now();
    if (this.#timer === undefined && now - this.#lastSent >= this.#windowMs) {
      this.#lastSent = now;
      this.#send([report], 0);
      return;
    }
    if (this.#pending.length < MAX_DESCRIBED) this.#pending.push(report);
    else this.#unlisted += 1;
    this.#timer ??= setTimeout(() => this.flush(), this.#lastSent + this.#windowMs - now);
  }

  /** Sends the gathered errors now, if any. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const [reports, unlisted] = [this.#pending, this.#unlisted];
    this.#pending = [];
    this.#unlisted = 0;
    this.#lastSent = Date.now();
    await this.#send(reports, unlisted);
  }

  #send(reports: ErrorReport[], unlisted: number): Promise<void> {
    const count = reports.length + unlisted;
    const subject =
      count === 1 ? '[Microblog] Failure' : `[Microblog] ${count} failures in the last minutes`;
    const more = unlisted > 0 ? `\n… and ${unlisted} more, not described here.\n` : '';
    const text = `${reports.map(describe).join('\n')}${more}`;
    return this.#mailer
      .send({ to: this.#admins.join(', '), subject, text })
      .catch((error) => this.#onFailure(error));
  }
}
