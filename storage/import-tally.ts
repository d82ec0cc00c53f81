import type { FindingData } from '../src/inventory/import-entry.js';
import type { Problem, SourceLocation } from '../src/inventory/source-location.js';
import type { ApprovedStateDrift, DirectoryCounts, ItemCounts, SourceReport } from '../src/ports/store.js';

const maxProblemsReported = 500;

function emptyItemCounts(): ItemCounts {
  return { created: 0, updated: 0, unchanged: 0, vanished: 0, reappeared: 0 };
}

function emptyDirectoryCounts(): DirectoryCounts {
  return { created: 0, updated: 0, unchanged: 0 };
}

/** The entries refused across a whole import: any refusal means nothing is written. */
export class Refusals {
  invalid = 0;
  problemCount = 0;
  readonly problems: Problem[] = [];

  add(problems: readonly Problem[]): void {
    this.invalid += 1;
    this.problemCount += problems.length;
    for (const problem of problems) if (this.problems.length < maxProblemsReported) this.problems.push(problem);
  }
}

/** The mutable tally of one source's snapshot, turned into its SourceReport at the end. */
export class Tally {
  readonly apis = emptyItemCounts();
  readonly identities = emptyItemCounts();
  readonly teams = emptyDirectoryCounts();
  readonly people = emptyDirectoryCounts();
  ownershipChanges = 0;
  suggestions = 0;
  readonly findings: Array<FindingData & { at: SourceLocation }> = [];
  readonly notes: string[] = [];
  readonly drift: ApprovedStateDrift[] = [];

  constructor(
    private readonly snapshot: { readonly source: string; readonly format: string },
    private readonly refusals: Refusals,
  ) {}

  refuse(problems: readonly Problem[]): void {
    this.refusals.add(problems);
  }

  report(): SourceReport {
    const { source, format } = this.snapshot;
    const { apis, identities, teams, people, ownershipChanges, suggestions, findings, notes, drift } = this;
    return { source, format, apis, identities, teams, people, ownershipChanges, suggestions, findings, notes, drift };
  }
}
