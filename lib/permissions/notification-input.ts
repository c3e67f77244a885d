import { z } from 'zod';

/** Inputs of the notifications API. */

const MAX_IDS = 500;

export const MarkReadInput = z.union(
  [
    z
      .object({
        ids: z
          .array(z.number({ error: 'ids must be a list of notification ids' }).int('ids must be a list of notification ids').min(1, 'ids must be a list of notification ids'), { error: 'ids must be a list of notification ids' })
          .min(1, 'ids must name at least one notification')
          .max(MAX_IDS, `ids can name at most ${MAX_IDS} notifications at once`),
      })
      .strict(),
    z.object({ all: z.literal(true) }).strict(),
  ],
  { error: 'Send { "ids": [ … ] } to mark some notifications read, or { "all": true } for all of them' },
);
