import { Queue, Worker, type Job, type JobsOptions } from 'bullmq';
import type { EntityManager } from 'typeorm';
import { createRedis, recordEvent, type DomainEvent, type Logger } from '@edugraph/kit';
import { IDENTITY_SCHEMA } from '../environment.js';
import type { SecretBox } from '../shared/crypto.js';
import type { MailMessage, Mailer } from './mailer.js';

/** BullMQ queue (under the events/queue prefix) whose jobs are single mails to deliver. */
export const MAIL_QUEUE = 'identity.mail';
export const MAIL_JOB = 'mail';
/** Identity's own domain event asking for a mail; its handler enqueues the `mail` job. */
export const MAIL_REQUESTED = 'identity.mail.requested';

export type MailRetryOptions = {
  /** Delivery attempts per mail (at least 5). */
  attempts: number;
  /** First retry delay; doubles with each attempt. */
  backoffDelayMs: number;
};

export const DEFAULT_MAIL_RETRY: MailRetryOptions = { attempts: 8, backoffDelayMs: 2000 };

/** What travels through the outbox and the queue: the message sealed with the data key (it holds codes). */
export type MailJobData = { message: string };

export function mailJobOptions(retry: MailRetryOptions): JobsOptions {
  return {
    attempts: Math.max(5, retry.attempts),
    backoff: { type: 'exponential', delay: retry.backoffDelayMs },
    removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}

/**
 * Asks for a mail in the caller's transaction: an `identity.mail.requested` row in the outbox, which
 * commits or rolls back with the state it belongs to (e.g. the verification code). Nothing is sent
 * inside the request; a mail is never lost once the transaction committed.
 */
export async function requestMail(
  manager: EntityManager,
  box: SecretBox,
  aggregateId: string,
  message: MailMessage,
): Promise<string> {
  const payload: MailJobData = { message: box.seal(JSON.stringify(message)) };
  return recordEvent(manager, IDENTITY_SCHEMA, { type: MAIL_REQUESTED, aggregateId, payload });
}

/** The producer side: adds `mail` jobs (job id = the event id, so a redelivered event adds nothing). */
export class MailQueue {
  readonly queue: Queue<MailJobData>;
  private readonly options: JobsOptions;

  constructor(input: { redisUrl: string; prefix: string; logger: Logger; retry?: MailRetryOptions }) {
    const connection = createRedis(input.redisUrl, { name: 'identity-mail-queue' });
    connection.on('error', (error: Error) => input.logger.warn({ err: error }, 'mail queue: redis error'));
    this.queue = new Queue<MailJobData>(MAIL_QUEUE, { connection, prefix: input.prefix });
    this.queue.on('error', (error: Error) => input.logger.warn({ err: error }, 'mail queue: error'));
    this.options = mailJobOptions(input.retry ?? DEFAULT_MAIL_RETRY);
  }

  async enqueue(id: string, data: MailJobData): Promise<void> {
    await this.queue.add(MAIL_JOB, data, { ...this.options, jobId: id });
  }

  /** Handler of `identity.mail.requested` for identity's event consumer. */
  readonly onMailRequested = async (event: DomainEvent): Promise<void> => {
    const message = event.payload['message'];
    if (typeof message !== 'string') throw new Error(`mail event ${event.id} has no message`);
    await this.enqueue(event.id, { message });
  };

  async close(): Promise<void> {
    const connection = await this.queue.client;
    await this.queue.close();
    await connection.quit().catch(() => undefined);
  }
}

export type MailWorker = { worker: Worker<MailJobData>; stop(): Promise<void> };

/** Delivers `mail` jobs with the mailer (SMTP or the JSON outbox dir); a failure is retried by BullMQ. */
export async function startMailWorker(input: {
  redisUrl: string;
  prefix: string;
  mailer: Mailer;
  box: SecretBox;
  logger: Logger;
  concurrency?: number;
}): Promise<MailWorker> {
  const { mailer, box, logger } = input;
  const connection = createRedis(input.redisUrl, { forBullmq: true, name: 'identity-mail-worker' });
  const worker = new Worker<MailJobData>(
    MAIL_QUEUE,
    async (job: Job<MailJobData>) => {
      const message = JSON.parse(box.open(job.data.message)) as MailMessage;
      await mailer.send(message);
    },
    { connection, prefix: input.prefix, concurrency: input.concurrency ?? 2 },
  );
  worker.on('failed', (job, error) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    const details = { err: error, jobId: job.id, attemptsMade: job.attemptsMade };
    if (final) logger.error(details, 'mail: delivery failed for the last time, job kept in the failed set');
    else logger.warn(details, 'mail: delivery failed, will retry');
  });
  worker.on('error', (error) => logger.error({ err: error }, 'mail worker: error'));
  await worker.waitUntilReady();
  return {
    worker,
    async stop() {
      await worker.close();
      await connection.quit().catch(() => undefined);
    },
  };
}
