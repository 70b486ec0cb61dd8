import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** MAIL FROM and RCPT TO, as the server saw them. */
  from: string;
  to: string[];
  /** The AUTH user name, when the client logged in. */
  user?: string;
  /** The message exactly as sent, headers and MIME parts. */
  raw: string;
}

export interface TestSmtpServer {
  port: number;
  messages: ReceivedMail[];
  /** Accepted AUTH logins, as `user:password`. */
  logins: string[];
  close(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 that keeps what it receives. No STARTTLS (tests have
 * no certificate); AUTH is optional and any login is accepted and recorded. With
 * `holdMail`, each message is acknowledged only once that promise settles, so a test can
 * watch what a sender shows while its mail is still on the way.
 */
export async function startSmtpServer(
  options: { holdMail?: Promise<unknown> } = {},
): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const logins: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push(`${auth.username}:${auth.password}`);
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', async () => {
        await options.holdMail;
        const { mailFrom, rcptTo } = session.envelope;
        messages.push({
          from: mailFrom ? mailFrom.address : '',
          to: rcptTo.map((recipient) => recipient.address),
          user: typeof session.user === 'string' ? session.user : undefined,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    messages,
    logins,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The header block of a raw message, with folded lines joined. */
export function headersOf(raw: string): string {
  return raw.split(/\r?\n\r?\n/, 1)[0].replace(/\r?\n[ \t]+/g, ' ');
}

/**
 * The decoded body of the first MIME part of `contentType` (e.g. 'text/html'), or
 * undefined. Enough MIME for tests: nested multiparts, quoted-printable and base64.
 */
export function mimePart(raw: string, contentType: string): string | undefined {
  const headers = headersOf(raw);
  const body = raw.slice(raw.search(/\r?\n\r?\n/)).replace(/^\r?\n\r?\n/, '');
  const type = /^content-type:\s*([^;\s]+)/im.exec(headers)?.[1].toLowerCase();
  if (type?.startsWith('multipart/')) {
    const boundary = /boundary="?([^";\r\n]+)"?/i.exec(headers)?.[1];
    if (!boundary) return undefined;
    for (const part of body.split(`--${boundary}`).slice(1)) {
      if (part.startsWith('--')) break;
      const found = mimePart(part.replace(/^\r?\n/, ''), contentType);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (type !== contentType.toLowerCase()) return undefined;
  const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(headers)?.[1].toLowerCase();
  if (encoding === 'base64') return Buffer.from(body, 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Waits for the mail to `to`: routes send without awaiting, so it arrives a little later. */
export async function waitForMail(smtp: TestSmtpServer, to: string): Promise<ReceivedMail> {
  for (let waited = 0; waited < 10_000; waited += 25) {
    const mail = smtp.messages.find((message) => message.to.includes(to));
    if (mail) return mail;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no mail to ${to} arrived`);
}
