import crypto from 'node:crypto';
import type { Logger } from '../logger';
import type { ServiceContext } from './context';
import { createMap } from './maps';
import { signUp } from './users';

export const DEMO_EMAIL = 'demo@journeyhub.local';

/**
 * On the first start on an empty store: a demo user owning the demo map, so
 * that the quick start ends in a usable app. The password is random and
 * printed once; it is not stored anywhere in clear.
 */
export async function seedDemoWorkspace(ctx: ServiceContext, logger: Logger, out: (text: string) => void): Promise<void> {
  if ((await ctx.store.listMaps()).length > 0 || (await ctx.accounts.getUserByEmail(DEMO_EMAIL))) return;
  const password = crypto.randomBytes(9).toString('base64url');
  const actor = await signUp(ctx, { email: DEMO_EMAIL, name: 'Dana Demo (contact-center lead)', password });
  const map = await createMap(ctx, actor, { title: 'Switching to FiberNet broadband', template: 'demo' });
  logger.info({ mapId: map.id, title: map.title, email: DEMO_EMAIL }, 'first start: created the demo map');
  out(
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
