import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import nodemailer from 'nodemailer';
import type { MailConfig } from '../config/load.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Files to attach, read from disk as the message is sent, so none is held in memory. */
  attachments?: { filename: string; path: string; contentType: string }[];
}

export interface Mailer {
  send(message: OutgoingMail): Promise<void>;
  close(): void;
}

/** The part of a pino/Fastify logger the mailer needs. */
export interface MailLog {
  info(obj: object, msg: string): void;
}

/**
 * Sends mail over SMTP when MAIL_SERVER is set. Without it, nothing leaves the machine:
 * each message is written as an .eml file to the outbox folder, so a developer can open
 * the password-reset link in a mail client.
 */
export function createMailer(mail: MailConfig, log: MailLog): Mailer {
  return mail.server ? smtpMailer(mail, mail.server, log) : outboxMailer(mail, log);
}

function smtpMailer(mail: MailConfig, host: string, log: MailLog): Mailer {
  // Port 465 speaks TLS from the first byte; any other port must upgrade with STARTTLS,
  // and requireTLS makes a server that cannot upgrade an error rather than plain text.
  const implicitTls = mail.useTls && mail.port === 465;
  const transport = nodemailer.createTransport(
    {
      host,
      port: mail.port,
      secure: implicitTls,
      requireTLS: mail.useTls && !implicitTls,
      auth: mail.username ? { user: mail.username, pass: mail.password ?? '' } : undefined,
      // The defaults (2 minutes to connect) would hold a web request for far too long.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    },
    { from: mail.defaultSender },
  );
  return {
    async send(message) {
      const info = await transport.sendMail(message);
      log.info(
        { to: message.to, subject: message.subject, messageId: info.messageId },
        'mail sent',
      );
    },
    close: () => transport.close(),
  };
}

function outboxMailer(mail: MailConfig, log: MailLog): Mailer {
  const transport = nodemailer.createTransport(
    { streamTransport: true, newline: 'windows' },
    { from: mail.defaultSender },
  );
  return {
    async send(message) {
      const info = await transport.sendMail(message);
      // The messages carry live reset links: keep the folder and files private.
      await mkdir(mail.outboxDir, { recursive: true, mode: 0o700 });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const path = join(mail.outboxDir, `${stamp}-${randomBytes(4).toString('hex')}.eml`);
      // Streamed to the file, so a large attachment is never held in memory.
      await pipeline(
        info.message as Readable,
        createWriteStream(path, { mode: 0o600, flags: 'wx' }),
      );
      // Recipient and subject only: the body holds the secret link.
      log.info(
        { to: message.to, subject: message.subject, path },
        'mail not sent (no MAIL_SERVER); written to the outbox',
      );
    },
    close: () => transport.close(),
  };
}
