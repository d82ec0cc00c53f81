import { didYouMean } from '../../src/commands/did-you-mean.js';
import type { Command, Surface } from '../../src/commands/grammar.js';
import { helpText } from '../../src/commands/grammar.js';
import { importInventory } from '../../src/inventory/import-inventory.js';
import type { Policy } from '../../src/policy/policy.js';
import type { ActorKey } from '../../src/ports/attestation-store.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Store } from '../../src/ports/store.js';
import { whoOwns } from '../../src/queries/who-owns.js';
import type { SourceFormat } from '../sources/source-format.js';
import { renderImportReport } from '../text/render-reports.js';
import { renderWho } from '../text/render-who.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import { runApprovals, runDecide, runDelegate, runRequest } from './run-approvals.js';
import { runAttest } from './run-attest.js';
import { runAudit } from './run-audit.js';
import { runBackup } from './run-backup.js';
import { runDigest } from './run-digest.js';
import { runEvidence } from './run-evidence.js';
import { runCheck } from './run-check.js';
import { runClaim } from './run-claim.js';
import { runHistory } from './run-history.js';
import { runList } from './run-list.js';
import { runMine } from './run-mine.js';
import { runOutbox } from './run-outbox.js';
import { runTickCommand } from './run-tick-command.js';
import { speakerOf } from './speaker.js';

/** The commands every surface runs alike; `serve` belongs to the composition root, `as`, `inbox`, `press` to the console. */
export type SharedCommand = Exclude<Command, { name: 'serve' | 'as' | 'inbox' | 'press' }>;

export function isSharedCommand(command: Command): command is SharedCommand {
  return !['serve', 'as', 'inbox', 'press'].includes(command.name);
}

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

export interface CommandDeps {
  readonly surface: Surface;
  /** How a command is started here, for the help and the hints: the chat platform's (`/steward`); the surface's default when absent. */
  readonly invocation?: string;
  readonly clock: Clock;
  readonly policy: Policy;
  /** Who is acting, for the audit trail (`cli:alice@host`, `console`). */
  readonly actor: string;
  /**
   * The person speaking, for the commands that act as them (`mine`, `attest`, `claim`): the chat user who typed
   * `/steward …`, or the person the console acts as. Absent on the CLI, where `attest --as EMAIL` names them.
   */
  readonly chatActor?: ActorKey;
  readonly io: CommandIo;
  /** Opened only by the commands that need the database, so `check` runs anywhere. */
  openStore(): Promise<Store>;
  /**
   * Whether there is a database to open: `check` reads the gate rules waived by approved exceptions from it when
   * there is, and runs without one when there is not. Absent: there is one (the console, chat).
   */
  readonly databaseExists?: () => boolean;
  readonly formats: ReadonlyMap<string, SourceFormat>;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

/**
 * Runs one parsed command (except `serve`, which the composition root owns) and returns its exit code.
 * Expected outcomes are exit codes and words; bugs and outages throw, for the caller's error boundary.
 */
export async function runCommand(command: SharedCommand, deps: CommandDeps): Promise<ExitCode> {
  const { io } = deps;
  switch (command.name) {
    case 'help':
      io.out(helpText(deps.surface, command.topic, { invocation: deps.invocation }));
      return exitCodes.ok;

    case 'who': {
      const result = await whoOwns(await deps.openStore(), deps.policy, command.query);
      io.out(command.json ? json(result) : renderWho(result, deps.clock.now()));
      return result.kind === 'found' ? exitCodes.ok : exitCodes.findings;
    }

    case 'list': {
      const { name: _name, json: asJson, ...request } = command;
      return runList(request, { json: asJson, fullList: '' }, deps);
    }

    case 'team':
      return runList({ team: command.team }, { json: false, heading: `Team ${command.team}:`, fullList: `--team ${command.team}` }, deps);

    case 'unowned':
      return runList({ unowned: true }, { json: false, heading: 'Waiting for an owner (no owning team, nobody accountable, or their person has left):', fullList: '--unowned' }, deps);

    case 'mine':
      return runMine(deps);

    case 'import': {
      const format = deps.formats.get(command.format);
      if (!format) {
        const formats = [...deps.formats.keys()];
        io.err(`${command.format} is not an import format${didYouMean(command.format, formats)}. Formats: ${formats.join(', ')}`);
        return exitCodes.badInput;
      }
      const store = await deps.openStore();
      const apiCodePaths = format.needsApiCodePaths ? await store.listApiCodePaths() : [];
      const options = { ...(command.source === undefined ? {} : { source: command.source }), ...(command.allowRoots === undefined ? {} : { allowRoots: command.allowRoots }) };
      const snapshots = format.read(command.paths, options, { apiCodePaths });
      const report = await importInventory(store, deps.clock, { snapshots, dryRun: command.dryRun, actor: deps.actor });
      if (command.json) io.out(json(report));
      else (report.invalid > 0 ? io.err : io.out)(renderImportReport(report));
      return report.invalid > 0 ? exitCodes.badInput : exitCodes.ok;
    }

    case 'check':
      return runCheck(command, deps);

    case 'tick':
      return runTickCommand(command, deps);

    case 'attest': {
      const actor = speakerOf(deps, 'attest', command.as);
      return actor === null ? exitCodes.badInput : runAttest(command, deps, actor);
    }

    case 'claim':
      return runClaim(command, deps);

    case 'history':
      return runHistory(command, deps);

    case 'outbox':
      return runOutbox(command, deps);

    case 'request':
      return runRequest(command, deps);

    case 'decide':
      return runDecide(command, deps);

    case 'approvals':
      return runApprovals(command, deps);

    case 'delegate':
      return runDelegate(command, deps);

    case 'audit':
      return runAudit(command, deps);

    case 'digest':
      return runDigest(command, deps);

    case 'evidence':
      return runEvidence(command, deps);

    case 'backup':
      return runBackup(command, deps);
  }
}
