/** Work waits until no request has come in for this long… */
const quietMs = 10;
/** …or for this long at most, so a steady stream of requests holds no answer up for long. */
const maxWaitMs = 500;

/**
 * Acknowledge every request first, then work: the work after an acknowledgement (Slack's users.info, the command,
 * the answer to response_url) runs on the same event loop as the acknowledgements of the requests still coming in,
 * so in a burst it would hold those up. Work waits (`turn`) while requests keep arriving (`arrived`), at most
 * `maxWaitMs`.
 */
export class AckFirst {
  private lastArrivalMs = Number.NEGATIVE_INFINITY;
  private readonly waiting: Array<{ readonly sinceMs: number; resolve(): void }> = [];
  private timer: NodeJS.Timeout | undefined;

  /** A request came in. */
  arrived(): void {
    this.lastArrivalMs = performance.now();
  }

  /** Resolves when this request's work may start. */
  turn(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push({ sinceMs: performance.now(), resolve });
      this.timer ??= setTimeout(() => this.release(), quietMs);
    });
  }

  private release(): void {
    this.timer = undefined;
    const nowMs = performance.now();
    const quiet = nowMs - this.lastArrivalMs >= quietMs;
    for (let i = 0; i < this.waiting.length; ) {
      const waiter = this.waiting[i];
      if (waiter !== undefined && (quiet || nowMs - waiter.sinceMs >= maxWaitMs)) {
        this.waiting.splice(i, 1);
        waiter.resolve();
      } else i += 1;
    }
    if (this.waiting.length > 0) this.timer = setTimeout(() => this.release(), quietMs);
  }
}
