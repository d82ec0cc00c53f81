/**
 * Spaces messages to one conversation: Teams allows about seven a second per conversation (and answers 429 beyond),
 * while the dispatcher's own pace is for the whole app. A message to a conversation written to less than
 * `intervalMs` ago waits the rest; others go at once.
 */
export class ConversationPace {
  private readonly lastAtMs = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  async turn(conversationId: string): Promise<void> {
    const last = this.lastAtMs.get(conversationId);
    const wait = last === undefined ? 0 : last + this.intervalMs - this.nowMs();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lastAtMs.set(conversationId, this.nowMs());
    // Bounded: a conversation not written to for a while needs no entry.
    if (this.lastAtMs.size > 10_000) for (const [id, at] of this.lastAtMs) if (this.nowMs() - at > this.intervalMs) this.lastAtMs.delete(id);
  }
}
