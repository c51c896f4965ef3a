import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMailer, lastMailedCode, readMailOutbox, waitForMail } from './mailer.js';

/** A minimal SMTP server that records one DATA payload per message. */
async function fakeSmtp(): Promise<{ url: string; messages: string[]; close: () => Promise<void> }> {
  const messages: string[] = [];
  const server = net.createServer((socket) => {
    let inData = false;
    let buffer = '';
    socket.write('220 fake ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          messages.push(buffer.slice(0, end));
          buffer = buffer.slice(end + 5);
          inData = false;
          socket.write('250 queued\r\n');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol).toUpperCase();
        buffer = buffer.slice(eol + 2);
        if (line.startsWith('EHLO') || line.startsWith('HELO')) socket.write('250 fake\r\n');
        else if (line.startsWith('DATA')) {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (line.startsWith('QUIT')) socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('mailer', () => {
  it('writes JSON files to the outbox without SMTP_URL, readable per recipient', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mail-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const mailer = createMailer({
      smtpUrl: undefined,
      from: 'Edugraph <no-reply@edugraph.dev>',
      outboxDir: dir,
    });
    await mailer.send({ to: 'a@example.com', subject: 'Code', text: 'your code is 123456.' });
    await mailer.send({ to: 'b@example.com', subject: 'Code', text: 'your code is 654321.' });
    expect(await readMailOutbox(dir)).toHaveLength(2);
    expect((await readMailOutbox(dir, 'A@example.com'))[0]).toMatchObject({
      to: 'a@example.com',
      subject: 'Code',
    });
    expect(await lastMailedCode(dir, 'b@example.com')).toBe('654321');
    // Digits elsewhere (e.g. a display name) are not mistaken for the code; same-millisecond mails keep their order.
    await mailer.send({
      to: 'b@example.com',
      subject: 'Code',
      text: 'Hello 123456,\n\nyour code is 777888.',
    });
    await mailer.send({
      to: 'b@example.com',
      subject: 'Code',
      text: 'Hello 123456,\n\nyour code is 999000.',
    });
    expect(await lastMailedCode(dir, 'b@example.com')).toBe('999000');
    expect(await readMailOutbox(path.join(dir, 'missing'))).toEqual([]);
  });

  it('sends through SMTP when SMTP_URL is set', async () => {
    const smtp = await fakeSmtp();
    cleanups.push(smtp.close);
    const mailer = createMailer({
      smtpUrl: smtp.url,
      from: 'Edugraph <no-reply@edugraph.dev>',
      outboxDir: '/nonexistent',
    });
    await mailer.send({ to: 'c@example.com', subject: 'Verify', text: 'your verification code is 111222.' });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]).toContain('To: c@example.com');
    expect(smtp.messages[0]).toContain('111222');
  });

  it('waitForMail polls until the mail is written, and gives up after its bound', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mail-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const mailer = createMailer({ smtpUrl: undefined, from: 'x@example.com', outboxDir: dir });
    const waiting = waitForMail(dir, 'late@example.com', { timeoutMs: 5000, intervalMs: 5 });
    // Written after the wait started (as the background worker does).
    setTimeout(
      () => void mailer.send({ to: 'late@example.com', subject: 'S', text: 'your code is 424242.' }),
      30,
    );
    const mails = await waiting;
    expect(mails.map((m) => m.text)).toEqual(['your code is 424242.']);
    await expect(
      waitForMail(dir, 'late@example.com', { count: 2, timeoutMs: 50, intervalMs: 5 }),
    ).rejects.toThrow(/expected 2 mail\(s\) to late@example.com/);
    await expect(waitForMail(dir, 'nobody@example.com', { timeoutMs: 30, intervalMs: 5 })).rejects.toThrow(
      /found 0/,
    );
  });
});
