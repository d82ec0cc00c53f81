import { randomBytes } from 'node:crypto';
import { runTick } from '../../src/attestation/run-tick.js';
import type { Command } from '../../src/commands/grammar.js';
import { dispatchOutbox } from '../../src/outbox/dispatch-outbox.js';
import type { ChatPort, PlatformReach } from '../../src/ports/chat.js';
import type { Store } from '../../src/ports/store.js';
import { runCommand, type CommandDeps } from '../commands/run-command.js';
import { tickAndReport } from '../commands/run-tick-command.js';
import { tickTime, timeDoesNotGoBack, tooFarAhead } from '../commands/tick-time.js';
import { formatMinute } from '../text/render-tick.js';
import { ConsoleChat } from './console-chat.js';
import { pressAction } from './press-action.js';
import { VirtualClock } from './virtual-clock.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Rounds of delivery after one command: far more than a console conversation ever queues at once. */
const maxDispatchRounds = 100;
/** The console delivers what it claims at once; a lease this long is never reached. */
const consoleLeaseMs = 60_000;

/**
 * One console conversation: the person it acts as, its clock (moved by `tick --at`), and the console chat
 * platform its messages are delivered to. Commands shared with the CLI run as there; `tick` also delivers what
 * it decided, and `as`, `inbox` and `press` are the console's own: acting as people, and pressing their buttons.
 * The person acted as is the one speaking for `mine`, `attest` and `claim`, as the Slack user is in Slack.
 * Its clock never stands behind the database: one moved ahead (by `steward tick --at`, or an earlier session's
 * ticks) moves the clock there before a command or a scheduled tick, so what it records comes after what is there.
 */
export class ConsoleSession {
  readonly clock: VirtualClock;
  readonly chat: ConsoleChat;
  private actingAs: string | null = null;
  private readonly deps: CommandDeps;
  private hinted = false;
  private caughtUp = false;
  /** The owner of this conversation's delivery leases. */
  private readonly owner = `console:${process.pid}:${randomBytes(3).toString('hex')}`;

  constructor(
    base: Omit<CommandDeps, 'io' | 'surface'>,
    private readonly write: (text: string) => void,
    private readonly options: { readonly deliversOutbox: boolean; readonly otherChats?: readonly ChatPort[]; readonly changed?: () => void } = { deliversOutbox: true },
  ) {
    this.clock = new VirtualClock(base.clock);
    this.chat = new ConsoleChat(write);
    this.deps = { ...base, clock: this.clock, surface: 'console', io: { out: write, err: write } };
  }

  prompt(): string {
    return this.actingAs === null ? 'steward> ' : `steward (${this.actingAs})> `;
  }

  async run(command: Exclude<Command, { name: 'serve' }>): Promise<void> {
    // What writes is recorded at the clock's time: the clock first catches up with the database.
    if (['tick', 'press', 'attest', 'claim', 'import'].includes(command.name)) await this.catchUp();
    switch (command.name) {
      case 'tick':
        return this.tick(command);
      case 'as':
        return this.actAs(command.email);
      case 'inbox':
        return this.inbox(command.all);
      case 'press':
        return this.press(command);
      default:
        // The person acted as speaks, as a Slack user does: `mine`, `attest` and `claim` act as them.
        await runCommand(command, this.actingAs === null ? this.deps : { ...this.deps, chatActor: { email: this.actingAs } });
        // An answer or a claim updates the messages that asked about the item: show them as Slack would.
        if (['attest', 'claim', 'request', 'decide', 'delegate'].includes(command.name)) await this.deliver();
    }
  }

  /** The scheduler's tick under `serve`: quiet unless it has something to show. */
  async scheduledTick(): Promise<boolean> {
    const moved = await this.catchUp();
    const store = await this.deps.openStore();
    const report = await runTick(store, this.deps.policy, this.clock.now());
    // Said before the first message it delivers, and not at all when it delivers none.
    this.chat.announce(`\n(The scheduler ticked at ${formatMinute(report.at)}.)`);
    const delivered = await this.deliver();
    this.chat.announce(null);
    return moved || delivered > 0;
  }

  private store(): Promise<Store> {
    return this.deps.openStore();
  }

  /** Moves the clock up to the database's latest record when it stands behind it; true when it said so. */
  private async catchUp(): Promise<boolean> {
    const latest = await (await this.store()).latestRecordedAt();
    if (latest === null || Date.parse(latest) <= this.clock.now().getTime()) return false;
    this.clock.moveTo(new Date(latest));
    if (this.caughtUp) return false;
    this.caughtUp = true;
    this.write(`(Steward's records reach ${formatMinute(latest)}, ahead of this clock: the console's clock moves there.)`);
    return true;
  }

  private async tick(command: Extract<Command, { name: 'tick' }>): Promise<void> {
    const now = this.clock.now();
    const at = tickTime(command.at, this.clock);
    if (at.getTime() < now.getTime() && !command.dryRun) {
      this.write(`The console's clock is at ${formatMinute(now.toISOString())} and only moves forward. (\`steward tick --at\` on the command line runs at any time.)`);
      return;
    }
    const typo = tooFarAhead(at, this.clock, command.dryRun);
    if (typo !== null) {
      this.write(typo);
      return;
    }
    if (!command.dryRun) this.clock.moveTo(at);
    // The messages delivered below show what was decided; the dry run, delivering nothing, lists it.
    const report = await tickAndReport(command, this.deps, at, { list: command.dryRun });
    // Another process recorded later since the clock caught up: nothing was decided, and the clock moves on.
    if (report.notBefore !== undefined) {
      this.write(timeDoesNotGoBack(report.notBefore, at));
      return;
    }
    if (report.dryRun) {
      this.write(`Dry run: nothing was written; ${plural(report.messages, 'message')} would be sent.`);
      return;
    }
    const delivered = await this.deliver();
    this.write(delivered === 0 ? 'No new messages.' : `\n${plural(delivered, 'message')} delivered above.${this.hint()}`);
  }

  private hint(): string {
    if (this.hinted || this.actingAs !== null) return '';
    this.hinted = true;
    return ' Act as someone with `as EMAIL`, then `press N` on a numbered action; `inbox` shows their messages again.';
  }

  /** Delivers everything due in the outbox to the console; returns how many messages were delivered. */
  async deliver(): Promise<number> {
    if (!this.options.deliversOutbox) return 0;
    const store = await this.store();
    let delivered = 0;
    for (let round = 0; round < maxDispatchRounds; round += 1) {
      const report = await dispatchOutbox(store, this.chat, this.clock, {
        owner: this.owner,
        // The decision webhook beside the console takes its own messages: routed here, they go to it, not nowhere.
        platforms: this.reaches(),
        preference: [],
        leaseMs: consoleLeaseMs,
      });
      delivered += report.sent;
      if (report.sent === 0) break;
    }
    // What the console routed to the platforms beside it (a decision for the webhook) goes out now, by the console's
    // clock (moved by tick --at, which their own pumps under `serve` know nothing of); the pumps are told too.
    for (const other of this.options.otherChats ?? [])
      await dispatchOutbox(store, other, this.clock, { owner: `${this.owner}:${other.platform}`, platforms: this.reaches(), preference: [], leaseMs: consoleLeaseMs });
    this.options.changed?.();
    return delivered;
  }

  /** Whom the console and the platforms beside it reach, for routing. */
  private reaches(): PlatformReach[] {
    return [this.chat.reach, ...(this.options.otherChats ?? []).map((chat) => chat.reach)];
  }

  private async actAs(email: string | undefined): Promise<void> {
    if (email === undefined) {
      this.write(this.actingAs === null ? 'You are not acting as anyone yet: as EMAIL.' : `You are acting as ${this.actingAs}.`);
      return;
    }
    this.actingAs = email;
    const theirs = await (await this.store()).listItems({ owner: email, limit: 12 });
    const refs = theirs.items.map((i) => i.ref).join(', ');
    const waiting = this.chat.inbox(email, false).length;
    this.write(
      [
        `You are acting as ${email}.`,
        theirs.total === 0
          ? 'Steward lists no item they are accountable for or back up.'
          : `Accountable for or backing up ${plural(theirs.total, 'item')}: ${refs}${theirs.total > theirs.items.length ? ', …' : ''}.`,
        waiting === 0 ? 'No message of theirs is waiting for an answer.' : `${plural(waiting, 'message')} waiting for their answer: type inbox.`,
      ].join('\n'),
    );
  }

  private inbox(all: boolean): void {
    if (!all && this.actingAs === null) {
      this.write('Act as someone first (as EMAIL), or type inbox --all for every message with something to press.');
      return;
    }
    const messages = this.chat.inbox(this.actingAs, all);
    if (messages.length === 0) {
      this.write(all ? 'No message has anything left to press.' : `Nothing is waiting for ${this.actingAs}. (inbox --all shows every open message, channels too.)`);
      return;
    }
    for (const message of messages) this.write(`\n${message}`);
  }

  private async press(command: Extract<Command, { name: 'press' }>): Promise<void> {
    const action = this.chat.action(command.number);
    if (action === undefined) {
      this.write(`There is no action [${command.number}] in this session. (inbox shows the open ones.)`);
      return;
    }
    if (this.actingAs === null) {
      this.write(`Who is pressing ${action.label}? Act as someone first: as EMAIL.`);
      return;
    }
    const lines = await pressAction(action, command, { store: await this.store(), clock: this.clock, policy: this.deps.policy, actor: this.actingAs });
    for (const line of lines) this.write(line);
    await this.deliver();
  }
}
