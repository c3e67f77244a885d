import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from '../logger';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends mail in the background: `send` never throws and never waits for the mail server. */
export interface Mailer {
  send(mail: Mail): void;
  /** Resolves once what was queued has been sent (or failed). */
  idle(): Promise<void>;
}

/** Mail waiting beyond this is dropped (and logged): a dead mail server must not grow memory without bound. */
const MAX_QUEUED = 1000;

/** Mail through an SMTP server (SMTP_URL), one message at a time, failures logged. */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    private readonly logger: Logger,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  send(mail: Mail): void {
    if (this.queued >= MAX_QUEUED) {
      this.logger.warn({ to: mail.to }, `more than ${MAX_QUEUED} mails waiting; dropped one`);
      return;
    }
    this.queued += 1;
    this.chain = this.chain
      .then(() => this.transport.sendMail({ from: this.from, ...mail }))
      .then(
        () => this.logger.info({ to: mail.to }, 'mail sent'),
        (error: unknown) => this.logger.error({ err: error, to: mail.to }, 'could not send a mail'),
      )
      .finally(() => {
        this.queued -= 1;
      });
  }

  idle(): Promise<void> {
    return this.chain;
  }
}
