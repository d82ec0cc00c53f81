import type { ChatPort } from '../../src/ports/chat.js';
import type { Health, HttpRoute } from '../http/http-server.js';

/** What `serve` tells a surface when everything is listening. */
export interface SurfaceStart {
  /** The port the HTTP server listens on (PORT, or the one picked for PORT=0). */
  readonly port: number;
  /** A line for the person who started Steward (standard output). */
  say(text: string): void;
}

/** How a foreground surface runs the scheduler's job: it decides when the job runs (the console, between commands). */
export type ScheduleTicks = (job: () => Promise<void>) => { stop(): Promise<void> };

/**
 * A way Steward meets people: Slack, the console, later Teams and the decision webhook. Each contributes its HTTP
 * routes (served on PORT beside `GET /healthz`) and the chat platform its outbox deliveries go to; `serve` starts,
 * watches and stops every surface the same way, and knows none of them by name. A new platform is a folder under
 * `adapters/` that exports one of these, and one line in `adapters/cli/surfaces-for.ts`.
 */
export interface Surface {
  /** Its name in the log and on /healthz: `slack`, `console`. */
  readonly name: string;
  /** The paths it serves on PORT. */
  readonly routes: readonly HttpRoute[];
  /** Its chat platform, delivered to by an outbox pump; null when it delivers its own way (the console). */
  readonly chat: ChatPort | null;
  /** For `GET /healthz`: ok, or degraded with the reason an operator acts on. */
  health(): Health;
  /** Why its platform takes no more messages (a revoked token); null while it does. Its pump stops then. */
  halted(): string | null;
  /** Once the HTTP server listens: connects (Socket Mode) and says where it is. */
  start(context: SurfaceStart): Promise<void>;
  /**
   * A surface that owns the terminal (the console) runs here until the person leaves, running the scheduler's job
   * when it chooses; `serve` ends when it returns. Service surfaces have none: `serve` runs until SIGTERM.
   */
  readonly foreground?: (schedule: ScheduleTicks) => Promise<void>;
  stop(): Promise<void>;
}
