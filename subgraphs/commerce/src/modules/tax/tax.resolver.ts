import { Public, Roles } from '@edugraph/kit';
import { Arg, Mutation, Query, Resolver } from 'type-graphql';
import { ServicesResolver } from '../../common/services-resolver.js';
import { SetTaxRateInput, SetTaxRatePayload, TaxRate } from './tax.type.js';

@Resolver(() => TaxRate)
export class TaxResolver extends ServicesResolver {
  @Public()
  @Query(() => [TaxRate], {
    description: 'The tax rate table (a region’s rate wins over its country’s; none: 0 %).',
  })
  async taxRates(): Promise<TaxRate[]> {
    return this.services.taxes.list();
  }

  @Roles('FINANCE', 'ADMIN')
  @Mutation(() => SetTaxRatePayload)
  async setTaxRate(@Arg('input', () => SetTaxRateInput) input: SetTaxRateInput): Promise<SetTaxRatePayload> {
    return { taxRate: await this.services.taxes.setRate(input) };
  }
}
