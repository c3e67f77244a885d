import crypto from 'node:crypto';
import path from 'node:path';
import { writePrivateFile } from '../data-dir';
import { markFiguresChanged, readMap } from '../../lib/journey/schema';
import { addDemoActions } from '../../lib/journey/templates';
import type { JourneyMap } from '../../lib/journey/types';
import { demoFigures } from '../../lib/measurements/demo-figures';
import { monthIndexOfMs, periodOfIndex } from '../../lib/measurements/period';
import type { Logger } from '../logger';
import type { ServiceContext } from './context';
import { createMap } from './maps';
import { signUp } from './users';

export const DEMO_EMAIL = 'demo@journeyhub.local';

const SYSTEM = { userId: 'system', kind: 'system' } as const;

/** Where the demo password goes when the server's output is not a terminal (DATA_DIR, mode 0600). */
export const DEMO_CREDENTIALS_FILE = 'demo-credentials.txt';

export interface DemoOutput {
  dataDir: string;
  /** stdout is a terminal: the password is shown there once; otherwise (a log collector) it goes to a private file. */
  terminal: boolean;
  out: (text: string) => void;
}

/**
 * On the first start on an empty store: a demo user owning the demo map, with
 * its actions and twelve months of generated figures (issue 13 §6), so that
 * the quick start ends in a usable app that shows measured data. The password is random; the
 * database keeps only its hash. It is shown once on a terminal, and never
 * written to a log: without a terminal it goes to DATA_DIR/demo-credentials.txt
 * and the log names that file.
 */
export async function seedDemoWorkspace(ctx: ServiceContext, logger: Logger, output: DemoOutput): Promise<void> {
  if ((await ctx.store.listMaps()).length > 0 || (await ctx.accounts.getUserByEmail(DEMO_EMAIL))) return;
  const password = crypto.randomBytes(9).toString('base64url');
  // The demo address is not a mailbox: it is vouched for, so that the demo can share maps at once.
  const now = Date.now();
  let written: JourneyMap | null = null;
  const actor = await signUp(ctx, { email: DEMO_EMAIL, name: 'Dana Demo (contact-center lead)', password }, { vouched: true });
  const map = await createMap(ctx, actor, { title: 'Switching to FiberNet broadband', template: 'demo' }, (doc) => {
    addDemoActions(doc, now, SYSTEM);
    markFiguresChanged(doc, now, SYSTEM);
    written = readMap(doc);
  });
  // Twelve months ending with this one, so that the demo is current; stored once, on this first start only
  // (a restart finds the map and seeds nothing). The measurements table names the map, so the figures follow
  // the map's creation: the doc store's createMap is its own transaction.
  if (written !== null) await ctx.measurements.replaceMonths(map.id, demoFigures(written, periodOfIndex(monthIndexOfMs(now)), { lastDay: new Date(now).getUTCDate() }), now);
  if (!output.terminal) {
    const file = path.join(output.dataDir, DEMO_CREDENTIALS_FILE);
    writePrivateFile(file, `JourneyHub demo workspace\nemail: ${DEMO_EMAIL}\npassword: ${password}\n`);
    logger.info({ mapId: map.id, title: map.title, email: DEMO_EMAIL, credentialsFile: file }, 'first start: created the demo map');
    return;
  }
  logger.info({ mapId: map.id, title: map.title, email: DEMO_EMAIL }, 'first start: created the demo map');
  output.out(
    [
      '',
      '  ┌──────────────────────────────────────────────────────────┐',
      '  │ JourneyHub demo workspace (shown once)                    │',
      `  │   email:    ${DEMO_EMAIL.padEnd(45)}│`,
      `  │   password: ${password.padEnd(45)}│`,
      '  └──────────────────────────────────────────────────────────┘',
      '',
    ].join('\n'),
  );
}
