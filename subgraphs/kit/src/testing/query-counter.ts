import { AbstractLogger, type LogLevel, type LogMessage, type QueryRunner } from 'typeorm';

/**
 * A TypeORM logger that counts the SQL statements a data source sends. Tests use it to prove
 * that a page costs a bounded number of queries whatever its size.
 */
export class QueryCounter extends AbstractLogger {
  private statements: string[] = [];

  override logQuery(query: string): void {
    if (!/^(START TRANSACTION|COMMIT|ROLLBACK|BEGIN)/i.test(query.trim())) this.statements.push(query);
  }

  protected override writeLog(
    _level: LogLevel,
    _message: LogMessage | LogMessage[],
    _queryRunner?: QueryRunner,
  ): void {
    // counting only
  }

  get count(): number {
    return this.statements.length;
  }

  get queries(): readonly string[] {
    return this.statements;
  }

  reset(): void {
    this.statements = [];
  }

  /** Runs `work` and returns how many statements it sent. */
  async measure<T>(work: () => Promise<T>): Promise<{ result: T; queries: number }> {
    this.reset();
    const result = await work();
    return { result, queries: this.count };
  }
}
