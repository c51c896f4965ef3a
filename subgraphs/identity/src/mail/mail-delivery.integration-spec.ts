import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLogger, createRedis } from '@edugraph/kit';
import { QueryCounter } from '@edugraph/kit/testing';
import { createIdentityDataSource } from '../identity.runtime.js';
import { AccountLockout } from '../modules/auth/account-lockout.js';
import { IpLimiter } from '../modules/auth/ip-limiter.js';
import { PasswordHasher } from '../modules/auth/password-hasher.js';
import { SessionService } from '../modules/session/session.service.js';
import { AccountService, PASSWORD_RESET_REQUESTED } from '../modules/verification/account.service.js';
import { SecretBox } from '../shared/crypto.js';
import { signUp, uniqueEmail, useTestIdentity } from '../testing/identity-harness.js';
import {
  MAIL_QUEUE,
  MAIL_REQUESTED,
  MailQueue,
  requestMail,
  startMailWorker,
  type MailJobData,
} from './mail-queue.js';
import type { MailMessage } from './mailer.js';

const dataKey = randomBytes(32);
const t = useTestIdentity({ dataEncryptionKey: dataKey });

const REQUEST_RESET = `mutation R($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) }`;

type OutboxRow = { event_type: string; payload: Record<string, unknown> };

async function outboxRows(type: string): Promise<OutboxRow[]> {
  return t.running.services.dataSource.query(
    `SELECT event_type, payload FROM "identity".outbox WHERE event_type = $1 ORDER BY occurred_at, id`,
    [type],
  );
}

describe('mail through the outbox and the mail queue', () => {
  it('mails the sign-up code through an identity.mail.requested event whose message is sealed', async () => {
    const before = (await outboxRows(MAIL_REQUESTED)).length;
    const email = uniqueEmail('sealed');
    await signUp(t, email);
    const code = await t.lastCode(email);
    expect(code).toMatch(/^\d{6}$/);
    const rows = await outboxRows(MAIL_REQUESTED);
    expect(rows).toHaveLength(before + 1);
    const stored = JSON.stringify(rows.at(-1)!.payload);
    expect(stored).toMatch(/enc:v1:/);
    expect(stored).not.toContain(code!);
    expect(stored).not.toContain(email);
  });

  it('sends nothing for a mail asked for in a transaction that rolled back', async () => {
    const email = uniqueEmail('rolled-back');
    const { dataSource, box } = t.running.services;
    await expect(
      dataSource.transaction(async (manager) => {
        await requestMail(manager, box, randomUUID(), {
          to: email,
          subject: 'S',
          text: 'your code is 111111.',
        });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    await dataSource.transaction((manager) =>
      requestMail(manager, box, randomUUID(), { to: email, subject: 'S', text: 'your code is 222222.' }),
    );
    const mails = await t.mailsTo(email);
    expect(mails.map((m) => m.text)).toEqual(['your code is 222222.']);
  });

  it('a redelivered mail event enqueues one job only', async () => {
    const { mail } = t.running;
    const event = {
      id: randomUUID(),
      type: MAIL_REQUESTED,
      source: 'identity',
      aggregateId: randomUUID(),
      payload: {
        message: t.running.services.box.seal(
          JSON.stringify({ to: 'x@example.com', subject: 'S', text: 'T' }),
        ),
      },
      occurredAt: new Date().toISOString(),
    };
    await mail.onMailRequested(event);
    await mail.onMailRequested(event);
    const job = await mail.queue.getJob(event.id);
    expect(job?.opts.jobId).toBe(event.id);
    expect(job?.opts.attempts).toBeGreaterThanOrEqual(5);
    expect(job?.opts.backoff).toMatchObject({ type: 'exponential' });
    await t.settle();
    expect(await mail.queue.getJobCountByTypes('completed')).toBeGreaterThanOrEqual(1);
    expect(
      (await mail.queue.getJobs(['completed', 'failed', 'waiting', 'active', 'delayed'])).filter(
        (j) => j.id === event.id,
      ),
    ).toHaveLength(1);
  });
});

describe('password reset request', () => {
  it('records one sealed event on every path; only an existing account gets a mail', async () => {
    const known = uniqueEmail('reset-known');
    const unknown = uniqueEmail('reset-unknown');
    await signUp(t, known);
    t.clock.advance(61_000);
    const before = (await outboxRows(PASSWORD_RESET_REQUESTED)).length;
    for (const email of [known, unknown]) {
      const result = await t.gql<{ requestPasswordReset: boolean }>(REQUEST_RESET, { input: { email } });
      expect(result.data?.requestPasswordReset).toBe(true);
    }
    const rows = await outboxRows(PASSWORD_RESET_REQUESTED);
    expect(rows).toHaveLength(before + 2);
    for (const row of rows.slice(-2)) expect(String(row.payload['email'])).toMatch(/^enc:v1:/);
    expect((await t.mailsTo(known)).map((m) => m.subject)).toContain('Reset your Edugraph password');
    expect(await t.mailsTo(unknown)).toHaveLength(0);
  });

  it('sends the same SQL for a known and an unknown email (the lookup happens later)', async () => {
    const known = uniqueEmail('same-work');
    await signUp(t, known);
    const counter = new QueryCounter();
    const dataSource = createIdentityDataSource(t.config, { poolSize: 1, logger: counter });
    await dataSource.initialize();
    const redis = createRedis(t.config.redisUrl);
    try {
      const account = new AccountService(
        dataSource,
        t.clock,
        new SecretBox(dataKey),
        new PasswordHasher(t.config.passwordHash),
        new SessionService(dataSource, t.clock),
        new IpLimiter(redis, {
          name: 'same-work',
          keyPrefix: `${t.config.redisKeyPrefix}:same-work`,
          points: 100,
          durationSeconds: 60,
        }),
        new AccountLockout(dataSource, t.clock),
      );
      const knownRun = await counter.measure(() => account.requestPasswordReset(known, '198.51.100.1'));
      const knownQueries = [...counter.queries];
      const unknownRun = await counter.measure(() =>
        account.requestPasswordReset(uniqueEmail('nobody'), '198.51.100.1'),
      );
      expect(knownRun.result).toBe(true);
      expect(unknownRun.result).toBe(true);
      expect(knownRun.queries).toBe(1);
      expect([...counter.queries]).toEqual(knownQueries);
    } finally {
      await dataSource.destroy();
      await redis.quit();
    }
  });
});

describe('mail worker', () => {
  it('retries a failed delivery with exponential backoff until it succeeds', async () => {
    const prefix = `test-mail-${randomBytes(4).toString('hex')}`;
    const logger = createLogger({ name: 'mail-test', level: 'silent', production: false });
    const box = new SecretBox(null);
    const sent: MailMessage[] = [];
    let calls = 0;
    const mailer = {
      async send(message: MailMessage) {
        calls += 1;
        if (calls <= 2) throw new Error(`smtp down (${calls})`);
        sent.push(message);
      },
    };
    const queue = new MailQueue({
      redisUrl: t.config.redisUrl,
      prefix,
      logger,
      retry: { attempts: 3, backoffDelayMs: 10 },
    });
    const worker = await startMailWorker({ redisUrl: t.config.redisUrl, prefix, mailer, box, logger });
    try {
      const id = randomUUID();
      const message = { to: 'retry@example.com', subject: 'S', text: 'T' };
      await queue.enqueue(id, { message: box.seal(JSON.stringify(message)) } satisfies MailJobData);
      const job = await queue.queue.getJob(id);
      // Never fewer than 5 attempts, whatever is configured.
      expect(job?.opts.attempts).toBe(5);
      expect(job?.opts.backoff).toEqual({ type: 'exponential', delay: 10 });
      const deadline = Date.now() + 10_000;
      while ((await queue.queue.getJobState(id)) !== 'completed') {
        if (Date.now() > deadline) throw new Error(`mail job still ${await queue.queue.getJobState(id)}`);
        await sleep(10);
      }
      expect(sent).toEqual([message]);
      expect(calls).toBe(3);
      expect(queue.queue.name).toBe(MAIL_QUEUE);
    } finally {
      await worker.stop();
      await queue.queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
