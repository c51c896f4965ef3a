import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, withRoles } from '../src/harness/actors.js';
import { bearer, signUp, startTestPlatform, type TestPlatform } from '../src/harness/test-platform.js';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
});

afterAll(async () => {
  await platform?.close();
});

/** A user holding INSTRUCTOR (set by an operator), signed in again so the token carries it. */
async function instructor(email: string): Promise<string> {
  return (await withRoles(platform, email, 'Ines Instructor', ['LEARNER', 'INSTRUCTOR'])).token;
}

describe('commerce through the gateway (embedded platform, SANDBOX provider)', () => {
  it('an instructor prices her course, a learner buys it with a test card: PAID, ledger balanced, enrolled by order.paid', async () => {
    const teacher = await instructor('ines@example.com');
    const created = await platform.graphql<{ createCourse: { course: { id: string } } }>(
      'mutation($input: CreateCourseInput!) { createCourse(input: $input) { course { id } } }',
      { input: { title: 'Federated GraphQL' } },
      bearer(teacher),
    );
    expect(created.errors).toBeUndefined();
    const courseId = created.data!.createCourse.course.id;
    // Commerce asks learning who owns the course: another instructor may not sell it.
    const other = await instructor('oscar@example.com');
    const squat = await platform.graphql(
      `mutation($input: SetProductPriceInput!) { setProductPrice(input: $input) { product { id } } }`,
      { input: { kind: 'COURSE', refId: courseId, title: 'Mine now', amount: 100, currency: 'EUR' } },
      bearer(other),
    );
    expect(squat.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const priced = await platform.graphql<{
      setProductPrice: { product: { id: string; seller: { displayName: string } } };
    }>(
      `mutation($input: SetProductPriceInput!) { setProductPrice(input: $input) { product { id seller { displayName } } } }`,
      {
        input: {
          kind: 'COURSE',
          refId: courseId,
          title: 'Federated GraphQL',
          amount: 4_900,
          currency: 'EUR',
        },
      },
      bearer(teacher),
    );
    expect(priced.errors).toBeUndefined();
    expect(priced.data!.setProductPrice.product.seller.displayName).toBe('Ines Instructor');

    // The course (learning) carries its price (commerce) in one query through the gateway.
    const course = await platform.graphql<{
      course: { title: string; price: { amount: number; currency: string } };
    }>(
      'query($id: ID!) { course(id: $id) { title price { amount currency } } }',
      { id: courseId },
      bearer(teacher),
    );
    expect(course.errors).toBeUndefined();
    expect(course.data!.course).toEqual({
      title: 'Federated GraphQL',
      price: { amount: 4_900, currency: 'EUR' },
    });

    const learner = await signUp(platform, 'lea@example.com', 'Lea Learner');
    const token = bearer(learner.accessToken);
    const added = await platform.graphql(
      `mutation($input: AddToCartInput!) { addToCart(input: $input) { cart { items { quantity subtotal { amount currency } } } } }`,
      { input: { productId: priced.data!.setProductPrice.product.id } },
      token,
    );
    expect(added.errors).toBeUndefined();
    const checkout = await platform.graphql<{
      checkout: {
        order: {
          id: string;
          status: string;
          total: { amount: number; currency: string };
          buyer: { displayName: string };
        };
        payment: { provider: string; status: string };
      };
    }>(
      `mutation($input: CheckoutInput!) { checkout(input: $input) {
         order { id status total { amount currency } buyer { displayName } } payment { provider status } } }`,
      { input: { billingCountry: 'NL', paymentMethod: '4242424242424242' } },
      token,
    );
    expect(checkout.errors).toBeUndefined();
    const { order, payment } = checkout.data!.checkout;
    expect(payment).toEqual({ provider: 'SANDBOX', status: 'SUCCEEDED' });
    expect(order).toMatchObject({
      status: 'PAID',
      total: { amount: 4_900, currency: 'EUR' },
      buyer: { displayName: 'Lea Learner' },
    });

    const mine = await platform.graphql<{
      myOrders: { edges: { node: { id: string; lines: { refId: string }[] } }[] };
    }>('{ myOrders { edges { node { id lines { refId } } } } }', {}, token);
    expect(mine.data!.myOrders.edges.map((e) => e.node)).toEqual([
      { id: order.id, lines: [{ refId: courseId }] },
    ]);
    const sales = await platform.graphql<{
      mySales: { edges: { node: { sellerShare: { amount: number } } }[] };
    }>('{ mySales { edges { node { sellerShare { amount } } } } }', {}, bearer(teacher));
    expect(sales.data!.mySales.edges.map((e) => e.node.sellerShare.amount)).toEqual([4_655]);
    const forbidden = await platform.graphql(
      'query($id: ID!) { order(id: $id) { id } }',
      { id: order.id },
      bearer(teacher),
    );
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const events = await sql<{ payload: Record<string, unknown> }>(
      platform,
      `SELECT payload FROM commerce.outbox WHERE event_type = 'order.paid' AND aggregate_id = $1`,
      [order.id],
    );
    expect(events.map((e) => e.payload)).toEqual([
      {
        orderId: order.id,
        userId: learner.user.id,
        currency: 'EUR',
        totalMinor: 4_900,
        paidAt: expect.any(String),
        lines: [{ kind: 'COURSE', refId: courseId, quantity: 1 }],
      },
    ]);
    // learning consumes order.paid (outbox → relay → its inbox) and enrolls the buyer.
    const deadline = Date.now() + 20_000;
    let enrolled: { courseId: string; source: string; status: string }[] = [];
    while (Date.now() < deadline) {
      const result = await platform.graphql<{
        myEnrollments: { edges: { node: { courseId: string; source: string; status: string } }[] };
      }>('{ myEnrollments { edges { node { courseId source status } } } }', {}, token);
      enrolled = result.data?.myEnrollments.edges.map((e) => e.node) ?? [];
      if (enrolled.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(enrolled).toEqual([{ courseId, source: 'PURCHASE', status: 'ACTIVE' }]);

    const unbalanced = await sql(
      platform,
      `SELECT transaction_id FROM commerce.ledger_entries GROUP BY transaction_id, currency HAVING sum(amount_minor) <> 0`,
    );
    expect(unbalanced).toEqual([]);
  });
});
