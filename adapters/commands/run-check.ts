import path from 'node:path';
import type { Command } from '../../src/commands/grammar.js';
import { checkRelease, type GateFinding, type GateItem } from '../../src/gate/check-release.js';
import { checkEntry } from '../../src/inventory/check-entries.js';
import { formatLocation, formatProblem, type Problem } from '../../src/inventory/source-location.js';
import { loadPolicy } from '../config/load-policy.js';
import { renderGateFindings } from '../text/render-reports.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import type { CommandDeps } from './run-command.js';

function formatOf(file: string, given: 'backstage' | 'csv' | undefined): 'backstage' | 'csv' | null {
  if (given) return given;
  const extension = path.extname(file).toLowerCase();
  if (extension === '.yaml' || extension === '.yml') return 'backstage';
  if (extension === '.csv') return 'csv';
  return null;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// A catalog whose Locations point at missing files cannot be vouched for: the gate fails on it.
const gateFailingNotices = new Set(['backstage_missing_location']);

/**
 * `steward check`: the release gate. Reads the catalog files with the importers (no database), and lists
 * every API and identity lacking what the policy's `gate` requires, as `file:line: ref: problem`.
 * Exit 1 on findings, 2 when the files themselves are bad, 0 when clean.
 */
export async function runCheck(command: Extract<Command, { name: 'check' }>, deps: CommandDeps): Promise<ExitCode> {
  const { io } = deps;
  const policy = command.policy === undefined ? deps.policy : loadPolicy(command.policy);
  const byFormat = new Map<'backstage' | 'csv', string[]>();
  for (const file of command.paths) {
    const format = formatOf(file, command.format);
    if (format === null) {
      io.err(`${file}: cannot tell the format from the extension; pass --format backstage or --format csv`);
      return exitCodes.badInput;
    }
    byFormat.set(format, [...(byFormat.get(format) ?? []), file]);
  }

  const items: GateItem[] = [];
  const problems: Problem[] = [];
  const notices: GateFinding[] = [];
  for (const [name, files] of byFormat) {
    const format = deps.formats.get(name);
    if (!format) throw new Error(`the ${name} format is not registered`);
    for (const snapshot of format.read(files, {}, { apiCodePaths: [] })) {
      for (const raw of snapshot.entries) {
        const entry = raw.type === 'invalid' ? raw : checkEntry(raw);
        if (entry.type === 'invalid') problems.push(...entry.problems);
        else if (entry.type === 'api' || entry.type === 'identity') items.push(entry);
        else if (entry.type === 'finding') {
          if (gateFailingNotices.has(entry.data.code)) notices.push({ at: entry.at, ref: 'location', problem: entry.data.message });
          else io.err(`${entry.data.severity}: ${formatLocation(entry.at)}: ${entry.data.message}`);
        }
      }
    }
  }
  if (problems.length > 0) {
    io.err(problems.map(formatProblem).join('\n'));
    io.err(`check: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the input; fix them first.`);
    return exitCodes.badInput;
  }

  const findings = [...notices, ...checkRelease(items, policy)];
  const apis = items.filter((i) => i.type === 'api').length;
  const identities = items.length - apis;
  if (command.json) io.out(JSON.stringify({ ok: findings.length === 0, apis, identities, findings }, null, 2));
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
