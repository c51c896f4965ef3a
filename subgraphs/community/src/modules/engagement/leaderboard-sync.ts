import type { Logger } from '@edugraph/kit';
import type {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import type { LeaderboardStore, MemberScores } from './leaderboard.store.js';

/**
 * Carries leaderboard changes from a transaction to Redis after it commits (a TypeORM transaction
 * subscriber on the community data source). Nothing reaches Redis from a transaction that rolls back;
 * a Redis failure is logged and never fails the committed change (a rebuild repairs the boards).
 */
export class LeaderboardSync implements EntitySubscriberInterface {
  private readonly pending = new WeakMap<QueryRunner, MemberScores[]>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: LeaderboardStore | null,
    private readonly logger: Logger,
  ) {}

  /** Queues a member's new values in `manager`'s transaction. */
  queue(manager: EntityManager, scores: MemberScores): void {
    if (!this.store) return;
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) throw new Error('Leaderboard changes are queued inside a transaction.');
    // The data source rebuilds its subscriber list when it initialises: register on first use.
    if (!this.dataSource.subscribers.includes(this)) this.dataSource.subscribers.push(this);
    const list = this.pending.get(runner) ?? [];
    list.push(scores);
    this.pending.set(runner, list);
  }

  async afterTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const runner = event.queryRunner;
    if (runner.isTransactionActive) return; // a savepoint was released; the transaction goes on
    const list = this.pending.get(runner);
    if (!list || !this.store) return;
    this.pending.delete(runner);
    try {
      await this.store.write(list);
    } catch (error) {
      this.logger.warn({ err: error }, 'engagement: leaderboard update failed (rebuild repairs it)');
    }
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) this.pending.delete(event.queryRunner);
  }
}
