import type { Logger } from '../logger';
import type { Mail, Mailer } from './mailer';

/**
 * How the app reaches people: mail through SMTP when SMTP_URL is set. Without
 * it, a mail that carries a link the person needs (confirming an address) is
 * written to the server's log instead, for the operator to pass on.
 */
export interface Outbox {
  mailer: Mailer | null;
  /** The app's public URL (NEXTAUTH_URL), for links in mail. */
  baseUrl: () => string;
  logger: Logger;
}

/** The public URL of a path of the app. The CLI has no outbox: NEXTAUTH_URL, or the default port. */
export function appLink(outbox: Outbox | undefined, path: string): string {
  const base = outbox?.baseUrl() ?? process.env.NEXTAUTH_URL ?? 'http://localhost:3000';
  return new URL(path, base).toString();
}

/** Sends the mail; true when it went to the mail server's queue, false when there is no SMTP server. */
export function sendMail(outbox: Outbox | undefined, mail: Mail): boolean {
  if (!outbox?.mailer) return false;
  outbox.mailer.send(mail);
  return true;
}
