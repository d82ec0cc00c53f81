import type { Command, Surface } from '../../src/commands/grammar.js';
import { helpText } from '../../src/commands/grammar.js';
import { importInventory } from '../../src/inventory/import-inventory.js';
import type { Policy } from '../../src/policy/policy.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Store } from '../../src/ports/store.js';
import { listInventory } from '../../src/queries/list-inventory.js';
import { whoOwns } from '../../src/queries/who-owns.js';
import type { SourceFormat } from '../sources/source-format.js';
import { renderImportReport, renderList } from '../text/render-reports.js';
import { renderWho } from '../text/render-who.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import { runCheck } from './run-check.js';


export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

export interface CommandDeps {
  readonly surface: Surface;
  readonly clock: Clock;
  readonly policy: Policy;
  /** Who is acting, for the audit trail (`cli:alice@host`, `console`). */
  readonly actor: string;
  readonly io: CommandIo;
  /** Opened only by the commands that need the database, so `check` runs anywhere. */
  openStore(): Promise<Store>;
  readonly formats: ReadonlyMap<string, SourceFormat>;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

/**
 * Runs one parsed command (except `serve`, which the composition root owns) and returns its exit code.
 * Expected outcomes are exit codes and words; bugs and outages throw, for the caller's error boundary.
 */
export async function runCommand(command: Exclude<Command, { name: 'serve' }>, deps: CommandDeps): Promise<ExitCode> {
  const { io } = deps;
  switch (command.name) {
    case 'help':
      io.out(helpText(deps.surface, command.topic));
      return exitCodes.ok;

    case 'who': {
      const result = await whoOwns(await deps.openStore(), deps.policy, command.query);
      io.out(command.json ? json(result) : renderWho(result, deps.clock.now()));
      return result.kind === 'found' ? exitCodes.ok : exitCodes.findings;
    }

    case 'list': {
      const { name: _name, json: asJson, ...request } = command;
      const list = await listInventory(await deps.openStore(), deps.clock, request);
      io.out(asJson ? json(list) : renderList(list, deps.clock.now()));
      return exitCodes.ok;
    }

    case 'import': {
      const format = deps.formats.get(command.format);
      if (!format) {
        io.err(`${command.format} is not an import format. Formats: ${[...deps.formats.keys()].join(', ')}`);
        return exitCodes.badInput;
      }
      const store = await deps.openStore();
      const apiCodePaths = format.needsApiCodePaths ? await store.listApiCodePaths() : [];
      const snapshots = format.read(command.paths, command.source === undefined ? {} : { source: command.source }, { apiCodePaths });
      const report = await importInventory(store, deps.clock, { snapshots, dryRun: command.dryRun, actor: deps.actor });
      if (command.json) io.out(json(report));
      else (report.invalid > 0 ? io.err : io.out)(renderImportReport(report));
      return report.invalid > 0 ? exitCodes.badInput : exitCodes.ok;
    }

    case 'check':
      return runCheck(command, deps);
  }
}
