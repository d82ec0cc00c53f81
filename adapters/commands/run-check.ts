import path from 'node:path';
import type { Command } from '../../src/commands/grammar.js';
import { applyWaivers, checkRelease, checkWarnings, type GateFinding, type GateItem } from '../../src/gate/check-release.js';
import { checkEntry } from '../../src/inventory/check-entries.js';
import type { FindingData } from '../../src/inventory/import-entry.js';
import { formatLocation, formatProblem, type Problem, type SourceLocation } from '../../src/inventory/source-location.js';
import { filesUnder, isFolder } from '../sources/source-files.js';
import { renderFindingLines, renderGateFindings } from '../text/render-reports.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import type { CommandDeps } from './run-command.js';

type GateFormat = 'backstage' | 'csv';

const extensions: Readonly<Record<GateFormat, readonly string[]>> = { backstage: ['.yaml', '.yml'], csv: ['.csv'] };

/** The formats a path is read as: by extension for a file; for a folder, each format with files under it. */
function formatsOf(given: string, format: GateFormat | undefined): GateFormat[] {
  if (format) return [format];
  if (isFolder(given)) return (['backstage', 'csv'] as const).filter((name) => filesUnder(given, extensions[name]).length > 0);
  const extension = path.extname(given).toLowerCase();
  return (['backstage', 'csv'] as const).filter((name) => extensions[name].includes(extension));
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// A catalog whose Locations point at missing files cannot be vouched for: the gate fails on it.
const gateFailingNotices = new Set(['backstage_missing_location']);

/**
 * `steward check`: the release gate. Reads the catalog files (or folders) with the importers (no database), and lists
 * every API and identity lacking what the policy's `gate` requires, as `file:line: ref: problem`.
 * Exit 1 on findings, 2 when the files themselves are bad, 0 when clean.
 */
export async function runCheck(command: Extract<Command, { name: 'check' }>, deps: CommandDeps): Promise<ExitCode> {
  const { io } = deps;
  // The YAML parser only for a policy file: every command loads this module (run-command does), and `who` starts sooner.
  const policy = command.policy === undefined ? deps.policy : (await import('../config/load-policy.js')).loadPolicy(command.policy);
  const byFormat = new Map<GateFormat, string[]>();
  for (const given of command.paths) {
    const formats = formatsOf(given, command.format);
    if (formats.length === 0) {
      io.err(
        isFolder(given)
          ? `${given}: no .yaml, .yml or .csv file under this folder`
          : `${given}: cannot tell the format from the extension; pass --format backstage or --format csv`,
      );
      return exitCodes.badInput;
    }
    for (const format of formats) byFormat.set(format, [...(byFormat.get(format) ?? []), given]);
  }
  const options = command.allowRoots === undefined ? {} : { allowRoots: command.allowRoots };

  const items: GateItem[] = [];
  const problems: Problem[] = [];
  const notices: GateFinding[] = [];
  const warnings: Array<FindingData & { at: SourceLocation }> = [];
  for (const [name, files] of byFormat) {
    const format = deps.formats.get(name);
    if (!format) throw new Error(`the ${name} format is not registered`);
    for (const snapshot of format.read(files, options, { apiCodePaths: [] })) {
      for (const raw of snapshot.entries) {
        const entry = raw.type === 'invalid' ? raw : checkEntry(raw);
        if (entry.type === 'invalid') problems.push(...entry.problems);
        else if (entry.type === 'api' || entry.type === 'identity') items.push(entry);
        else if (entry.type === 'finding') {
          if (gateFailingNotices.has(entry.data.code)) notices.push({ at: entry.at, ref: 'location', problem: entry.data.message });
          else warnings.push({ ...entry.data, at: entry.at });
        }
      }
    }
  }
  warnings.push(...checkWarnings(items));
  // Repeated warnings are summarised here; --json lists every one.
  for (const line of renderFindingLines(warnings, 'add --json to the same check to list every one', '')) io.err(line);
  if (problems.length > 0) {
    io.err(problems.map(formatProblem).join('\n'));
    io.err(`check: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the input; fix them first.`);
    return exitCodes.badInput;
  }

  // Gate rules waived by an approved exception (until its end date) do not fail the release; they are listed apart.
  const waivers = deps.databaseExists?.() === false ? [] : await (await deps.openStore()).activeWaivers(deps.clock.now().toISOString());
  const { failing: unwaived, waived } = applyWaivers(checkRelease(items, policy), waivers, deps.clock.now().toISOString());
  const findings = [...notices, ...unwaived];
  for (const w of waived) io.err(`${formatLocation(w.at)}: ${w.ref}: ${w.problem} — waived until ${w.waiver.until.slice(0, 10)} by exception #${w.waiver.requestId}`);
  const apis = items.filter((i) => i.type === 'api').length;
  const identities = items.length - apis;
  const waivedRecords = waived.map((w) => ({ at: w.at, ref: w.ref, problem: w.problem, rule: w.rule, until: w.waiver.until, request: w.waiver.requestId }));
  if (command.json) io.out(JSON.stringify({ ok: findings.length === 0, apis, identities, findings, ...(waived.length > 0 ? { waived: waivedRecords } : {}), ...(warnings.length > 0 ? { warnings } : {}) }, null, 2));
  else if (findings.length > 0) io.out(renderGateFindings(findings));
  const failing = new Set(findings.map((f) => f.ref)).size;
  const checked = `${plural(apis, 'API')} and ${plural(identities, 'identity', 'identities')}`;
  if (!command.json)
    io.err(
      findings.length === 0
        ? `check: ok — ${checked}, each with what the policy requires.`
        : `check: ${plural(findings.length, 'finding')} on ${plural(failing, 'item')} (of ${checked}).`,
    );
  return findings.length === 0 ? exitCodes.ok : exitCodes.findings;
}
