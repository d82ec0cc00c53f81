import type { Health } from '../http/http-server.js';
import type { Logger } from '../logging/logger.js';

/** What to do about a token Slack no longer takes: the same for every way of learning it. */
const remedy = 'delivery to Slack stopped, and the messages wait in the outbox: reinstall the app, set SLACK_BOT_TOKEN to its bot token and restart Steward';

/**
 * Whether Slack still takes Steward's bot token. Lost for good, until a restart with a new token, when Slack says
 * so: `tokens_revoked` naming the bot user, `app_uninstalled`, or a Web API call refused for the token. From then
 * on the outbox pump sends nothing (every message would fail in turn, spending its attempts), `/healthz` reports
 * the reason, and the log has it once, as an error.
 */
export class SlackAccess {
  private lostBecause: string | null = null;

  constructor(private readonly logger: Logger) {}

  /** Why Slack no longer takes the token; null while it does. */
  lost(): string | null {
    return this.lostBecause;
  }

  health(): Health {
    return this.lostBecause === null ? { ok: true } : { ok: false, reason: `${this.lostBecause}: ${remedy}` };
  }

  /** Records the loss (the first reason is kept) and logs it as an error. */
  lose(reason: string, fields: Readonly<Record<string, unknown>> = {}): void {
    if (this.lostBecause !== null) return;
    this.lostBecause = reason;
    this.logger.error({ ...fields }, `${reason}: ${remedy}`);
  }
}
