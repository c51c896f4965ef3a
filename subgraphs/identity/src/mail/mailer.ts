import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import nodemailer, { type Transporter } from 'nodemailer';

export type MailMessage = { to: string; subject: string; text: string };

export type StoredMail = MailMessage & { id: string; from: string; sentAt: string };

export type Mailer = { send(message: MailMessage): Promise<void> };

let sequence = 0;

/** SMTP through nodemailer when `smtpUrl` is set; otherwise JSON files in a local outbox directory. */
export function createMailer(options: {
  smtpUrl: string | undefined;
  from: string;
  outboxDir: string;
}): Mailer {
  if (options.smtpUrl) {
    const transport: Transporter = nodemailer.createTransport(options.smtpUrl);
    return {
      async send(message) {
        await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
        });
      },
    };
  }
  return {
    async send(message) {
      await mkdir(options.outboxDir, { recursive: true });
      const sentAt = new Date().toISOString();
      const id = randomUUID();
      const stored: StoredMail = { id, from: options.from, sentAt, ...message };
      sequence += 1;
      // Time, then a per-process sequence: file names sort in sending order even within one millisecond.
      const name = `${sentAt.replace(/[:.]/g, '-')}-${String(sequence).padStart(9, '0')}-${id}.json`;
      await writeFile(path.join(options.outboxDir, name), JSON.stringify(stored, null, 2));
    },
  };
}

/** Reads the development outbox (oldest first), optionally only mail to one address. For tests and local use. */
export async function readMailOutbox(dir: string, to?: string): Promise<StoredMail[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const mails = await Promise.all(
    names.map(async (n) => JSON.parse(await readFile(path.join(dir, n), 'utf8')) as StoredMail),
  );
  return to ? mails.filter((m) => m.to.toLowerCase() === to.toLowerCase()) : mails;
}

/** The last 6-digit code mailed to `to` ("… code is 123456 …"), or null. */
export async function lastMailedCode(dir: string, to: string): Promise<string | null> {
  const mails = await readMailOutbox(dir, to);
  const last = mails.at(-1);
  return last ? (/\bcode is (\d{6})\b/.exec(last.text)?.[1] ?? null) : null;
}

/**
 * Polls the outbox dir until at least `count` mails to `to` are there (mail is delivered by a background
 * worker) and returns them; throws after `timeoutMs`. For tests and local tooling.
 */
export async function waitForMail(
  dir: string,
  to: string,
  options: { count?: number; timeoutMs?: number; intervalMs?: number } = {},
): Promise<StoredMail[]> {
  const count = options.count ?? 1;
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const mails = await readMailOutbox(dir, to);
    if (mails.length >= count) return mails;
    if (Date.now() >= deadline) {
      throw new Error(`expected ${count} mail(s) to ${to} in ${dir}, found ${mails.length}`);
    }
    await sleep(options.intervalMs ?? 25);
  }
}
