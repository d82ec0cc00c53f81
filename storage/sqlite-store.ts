import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ItemDetail, ItemKind, ItemSummary } from '../src/model/index.js';
import type { AuditHead, AuditTrail, AuditVerification, BackupResult, ExpectedAuditHead, ImportReport, ImportRequest, InventoryCounts, ItemList, ListFilter, SearchQuery, Store } from '../src/ports/store.js';
import type { AnswerPlan } from '../src/attestation/decide-answer.js';
import type { ClaimResult } from '../src/attestation/decide-claim.js';
import type { BindChannelResult } from '../src/channels/decide-binding.js';
import type { BindChannelRequest, ChannelTarget, ChatPerson } from '../src/ports/chat-identity-store.js';
import type { MyItems } from '../src/queries/my-items.js';
import type { ActorKey, AnswerRequest, ChatAccountKey, ClaimRequest, DeliveryResult, LeaseRequest, OutboxDelivery, Platform, DeliveryView, RouteRequest, StuckMessage, TickOutcome, TickRequest } from '../src/ports/attestation-store.js';
import { AnswerRunner } from './answer-runner.js';
import { ApprovalRunner } from './approval-runner.js';
import type { ApprovalDecisionCall, ApprovalFilter, ApprovalList, ApprovalRequestCall, ApprovalTickCall, DelegationCall } from '../src/ports/approval-store.js';
import type { StoredApproval } from '../src/approvals/approval-request.js';
import type { GateWaiver } from '../src/gate/check-release.js';
import type { ApprovalTickPlan } from '../src/approvals/approval-tick.js';
import type { DecisionPlan } from '../src/approvals/decide-decision.js';
import type { DelegationPlan } from '../src/approvals/decide-delegation.js';
import type { RequestPlan } from '../src/approvals/decide-request.js';
import { AuditLog } from './audit-log.js';
import { backupDatabase } from './backup-database.js';
import { ChannelBindings } from './channel-bindings.js';
import { ChatPeople } from './chat-people.js';
import { DigestRunner } from './digest-runner.js';
import type { DigestOutcome, DigestRequest, DigestTeam } from '../src/ports/digest-store.js';
import { Deliveries } from './deliveries.js';
import type { EvidenceGroup, EvidencePage, EvidencePageRequest, EvidencePeriod, PolicyText } from '../src/ports/evidence-store.js';
import { EvidencePolicyTexts } from './evidence-policy-texts.js';
import { EvidenceQueries } from './evidence-queries.js';
import { ImportWriter } from './import-writer.js';
import { ItemQueries } from './item-queries.js';
import { LastSeen } from './last-seen.js';
import { migrate } from './migrate.js';
import { MyItemsQuery } from './my-items-query.js';
import { Outbox } from './outbox.js';
import { OwnershipHistory } from './ownership-history.js';
import { ProcessedEvents } from './processed-events.js';
import { TickRunner } from './tick-runner.js';

export interface OpenStoreOptions {
  /** Wait this long for another process's write lock before failing (a CLI import while `serve` runs). */
  readonly busyTimeoutMs?: number;
  /** New items after which an import rebuilds indexes at the end instead of updating them per row. */
  readonly bulkLoadAfter?: number;
  /** Refuse (SQLITE_CANTOPEN) rather than create a database that is not there yet; its folder is not made either. */
  readonly mustExist?: boolean;
}

/**
 * The SQLite implementation of the store port. better-sqlite3 is synchronous, so each method runs its
 * transaction to completion before returning its promise: no transaction ever spans an await.
 */
export class SqliteStore implements Store {
  private readonly audit: AuditLog;
  private readonly writer: ImportWriter;
  private readonly queries: ItemQueries;
  private readonly lastSeen: LastSeen;
  private readonly outbox: Outbox;
  private readonly deliveries: Deliveries;
  private readonly ticks: TickRunner;
  private readonly answers: AnswerRunner;
  private readonly approvals: ApprovalRunner;
  private readonly people: ChatPeople;
  private readonly events: ProcessedEvents;
  private readonly mine: MyItemsQuery;
  private readonly channels: ChannelBindings;
  private readonly evidence: EvidenceQueries;
  private readonly policyTextsKept: EvidencePolicyTexts;
  private readonly digests: DigestRunner;

  constructor(readonly db: Database.Database, options: OpenStoreOptions = {}) {
    this.audit = new AuditLog(db);
    const history = new OwnershipHistory(db);
    this.writer = new ImportWriter(db, this.audit, history, options.bulkLoadAfter);
    this.queries = new ItemQueries(db);
    this.lastSeen = new LastSeen(db);
    this.outbox = new Outbox(db);
    this.deliveries = new Deliveries(db, this.audit);
    this.ticks = new TickRunner(db, this.audit, this.outbox, history);
    this.approvals = new ApprovalRunner(db, this.audit, this.outbox, history);
    this.answers = new AnswerRunner(db, this.audit, this.outbox, history, this.approvals);
    this.people = new ChatPeople(db, this.audit);
    this.events = new ProcessedEvents(db);
    this.mine = new MyItemsQuery(db);
    this.channels = new ChannelBindings(db, this.audit);
    this.evidence = new EvidenceQueries(db);
    this.policyTextsKept = new EvidencePolicyTexts(db);
    this.digests = new DigestRunner(db, this.audit, this.outbox, this.deliveries);
  }

  async runTick(request: TickRequest): Promise<TickOutcome> {
    return this.ticks.run(request);
  }

  async makeDigest(request: DigestRequest): Promise<DigestOutcome> {
    return this.digests.make(request);
  }

  async digestTeams(): Promise<readonly DigestTeam[]> {
    return this.digests.teams();
  }

  async latestRecordedAt(): Promise<string | null> {
    return this.ticks.latestRecordedAt();
  }

  async answerAttestations(request: AnswerRequest): Promise<AnswerPlan> {
    return this.answers.answer(request);
  }

  async requestApproval(call: ApprovalRequestCall): Promise<RequestPlan> {
    return this.approvals.request(call);
  }

  async decideApproval(call: ApprovalDecisionCall): Promise<DecisionPlan> {
    return this.approvals.decide(call);
  }

  async listApprovals(filter: ApprovalFilter): Promise<ApprovalList> {
    return this.approvals.list(filter);
  }

  async getApproval(id: number): Promise<StoredApproval | null> {
    return this.approvals.get(id);
  }

  async runApprovalTick(call: ApprovalTickCall): Promise<{ plan: ApprovalTickPlan; queued: number; more: boolean }> {
    return this.approvals.tick(call);
  }

  async delegate(call: DelegationCall): Promise<DelegationPlan> {
    return this.approvals.delegate(call);
  }

  async activeWaivers(now: string): Promise<readonly GateWaiver[]> {
    return this.approvals.activeWaivers(now);
  }

  async claimItem(request: ClaimRequest & { readonly team: string | null }): Promise<ClaimResult> {
    return this.answers.claim(request);
  }

  async openAttestationOf(kind: 'api' | 'identity', ref: string): Promise<{ id: number } | { id: null; nextAt: string | null }> {
    return this.queries.openAttestationOf(kind, ref);
  }

  async routeMessages(request: RouteRequest): Promise<{ routed: number; unroutable: number }> {
    return this.deliveries.route(request);
  }

  async claimDeliveries(request: LeaseRequest): Promise<readonly OutboxDelivery[]> {
    return this.deliveries.claim(request);
  }

  async renewLease(deliveryId: number, owner: string, now: string, leaseMs: number): Promise<boolean> {
    return this.deliveries.renew(deliveryId, owner, now, leaseMs);
  }

  async recordDelivery(deliveryId: number, owner: string, result: DeliveryResult, now: string): Promise<void> {
    this.deliveries.record(deliveryId, owner, result, now);
  }

  async deliveryView(deliveryId: number): Promise<DeliveryView | null> {
    return this.deliveries.view(deliveryId);
  }

  async stuckMessages(unroutedBefore: string, limit: number): Promise<readonly StuckMessage[]> {
    return this.deliveries.stuck(unroutedBefore, limit);
  }

  async importEntries(request: ImportRequest): Promise<ImportReport> {
    return this.writer.run(request);
  }

  async searchItems(query: SearchQuery): Promise<readonly ItemSummary[]> {
    return this.queries.search(query);
  }

  async candidateNames(text: string, limit: number): Promise<readonly ItemSummary[]> {
    return this.queries.candidates(text, limit);
  }

  async getItemDetail(kind: ItemKind, ref: string): Promise<ItemDetail | null> {
    // One snapshot: the detail, and when its source last listed it (an unchanged item's row is not rewritten).
    return this.db.transaction(() => this.lastSeen.of(this.queries.detail(kind, ref)))();
  }

  async itemIdOf(kind: ItemKind, ref: string): Promise<number | null> {
    return this.queries.idOf(kind, ref);
  }

  async listApiCodePaths(): Promise<ReadonlyArray<{ ref: string; codePath: string }>> {
    return this.queries.apiCodePaths();
  }

  async listItems(filter: ListFilter): Promise<ItemList> {
    return this.queries.list(filter);
  }

  async countInventory(): Promise<InventoryCounts> {
    return this.queries.counts();
  }

  async hasItemsFrom(sources: readonly string[]): Promise<boolean> {
    return this.queries.hasItemsFrom(sources);
  }

  async verifyAuditChain(expected?: ExpectedAuditHead): Promise<AuditVerification> {
    return this.audit.verify(expected);
  }

  async auditHead(): Promise<AuditHead | null> {
    return this.audit.head();
  }

  async backupTo(file: string): Promise<BackupResult> {
    return backupDatabase(this.db, file);
  }

  async itemAuditTrail(kind: ItemKind, ref: string, limit: number): Promise<AuditTrail | null> {
    return this.audit.trail(kind, ref, limit);
  }

  async chatPerson(personId: number): Promise<ChatPerson | null> {
    return this.people.person(personId);
  }

  async chatPersonBy(actor: ActorKey): Promise<ChatPerson | null> {
    return this.people.personBy(actor);
  }

  async linkChatAccount(personId: number, account: ChatAccountKey, address: string | null): Promise<void> {
    this.people.link(personId, account, address);
  }

  async markPersonLeft(actor: ActorKey, at: string, reason: string): Promise<{ personId: number; email: string } | null> {
    return this.people.markLeft(actor, at, reason);
  }

  async recordEventOnce(eventId: string, at: string): Promise<boolean> {
    return this.events.recordOnce(eventId, at);
  }

  async forgetEvent(eventId: string): Promise<void> {
    this.events.forget(eventId);
  }

  async myItems(actor: ActorKey): Promise<MyItems | null> {
    return this.mine.of(actor);
  }

  async bindChannel(request: BindChannelRequest): Promise<BindChannelResult> {
    return this.channels.bind(request);
  }

  async boundChannel(platform: Platform, target: ChannelTarget): Promise<string | null> {
    return this.channels.bound(platform, target);
  }

  async claimHome(platform: Platform, home: string, at: string): Promise<string> {
    return this.channels.claimHome(platform, home, at);
  }

  async evidencePage(request: EvidencePageRequest): Promise<EvidencePage> {
    return this.evidence.page(request);
  }

  async evidenceSummary(period: EvidencePeriod): Promise<readonly EvidenceGroup[]> {
    return this.evidence.summary(period);
  }

  async policyTexts(versions: readonly string[]): Promise<readonly PolicyText[]> {
    return this.policyTextsKept.texts(versions);
  }

  async recordPolicyVersion(version: string, text: string, at: string): Promise<void> {
    this.policyTextsKept.keep(version, text, at);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/**
 * Opens (creating if needed) a Steward database: WAL so readers never block the writer, foreign keys on,
 * and every pending migration applied. `:memory:` gives a fresh private database, as the tests use.
 */
export function openSqliteStore(file: string, options: OpenStoreOptions = {}): SqliteStore {
  const mustExist = options.mustExist === true && file !== ':memory:';
  if (file !== ':memory:' && !mustExist) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, { fileMustExist: mustExist });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Another process (`steward attest` while `serve` runs) waits its turn for up to this long. Every transaction
    // that writes begins IMMEDIATE (`.immediate()`): a deferred one that read first and then writes fails with
    // SQLITE_BUSY at once, without waiting, when another process committed in between.
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    // Import staging and sorts go to temporary files, not memory, so large imports keep a small footprint.
    db.pragma('temp_store = FILE');
    migrate(db);
    return new SqliteStore(db, options);
  } catch (error) {
    db.close();
    throw error;
  }
}
