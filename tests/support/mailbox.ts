/**
 * A real SMTP server in the test's process (smtp-server), and the mails it
 * received, parsed (mailparser): the app sends to it through SMTP_URL, and a
 * test reads a link from a mail as the person it was sent to would.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './wait';

export class Mailbox {
  readonly mails: ParsedMail[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly server: SMTPServer;

  private constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream).then(
          (mail) => {
            this.mails.push(mail);
            for (const listener of this.listeners) listener();
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
  }

  static async start(): Promise<Mailbox> {
    const box = new Mailbox();
    await new Promise<void>((resolve) => box.server.listen(0, '127.0.0.1', resolve));
    return box;
  }

  /** What the app's SMTP_URL is set to. */
  get smtpUrl(): string {
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  to(email: string, subject: RegExp): ParsedMail[] {
    return this.mails.filter((m) => JSON.stringify(m.to ?? '').toLowerCase().includes(email.toLowerCase()) && subject.test(m.subject ?? ''));
  }

  /** The `nth` mail to `email` whose subject matches, once it has arrived. */
  waitFor(email: string, subject: RegExp, nth = 1, timeout = 15_000): Promise<ParsedMail> {
    return waitFor(() => this.to(email, subject)[nth - 1], { timeout, message: `mail ${nth} "${subject.source}" to ${email}` }, (wake) => {
      this.listeners.add(wake);
      return () => this.listeners.delete(wake);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The first link in a mail's text whose path starts with `pathPrefix`. */
export function linkIn(mail: ParsedMail, pathPrefix: string): string {
  const match = new RegExp(`https?://\\S+${pathPrefix}\\S+`).exec(mail.text ?? '');
  if (!match) throw new Error(`no ${pathPrefix} link in the mail "${mail.subject}": ${mail.text}`);
  return match[0];
}
