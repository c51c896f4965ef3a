import { Roles } from '@edugraph/kit';
import { Arg, Mutation, Query, Resolver } from 'type-graphql';
import { ServicesResolver } from '../../common/services-resolver.js';
import { FinanceSummary, ReconcilePaymentsInput, ReconcilePaymentsPayload } from './finance.type.js';

@Resolver(() => FinanceSummary)
export class FinanceResolver extends ServicesResolver {
  @Roles('FINANCE', 'ADMIN')
  @Query(() => [FinanceSummary], {
    description: 'Gross, discounts, tax, refunds, net and commission per currency, [from, to).',
  })
  async financeSummary(
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
  ): Promise<FinanceSummary[]> {
    return this.services.finance.summary(from, to);
  }

  @Roles('FINANCE', 'ADMIN')
  @Query(() => String, { description: 'Orders paid in [from, to) as CSV (at most 10,000 rows).' })
  async financeOrdersCsv(
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
  ): Promise<string> {
    return this.services.finance.ordersCsv(from, to);
  }

  @Roles('FINANCE', 'ADMIN')
  @Mutation(() => ReconcilePaymentsPayload, {
    description:
      'Compares provider records with paid orders; > 250 bps variance raises finance.reconciliation_alert.',
  })
  async reconcilePayments(
    @Arg('input', () => ReconcilePaymentsInput) input: ReconcilePaymentsInput,
  ): Promise<ReconcilePaymentsPayload> {
    return { lines: await this.services.finance.reconcile(input) };
  }
}
