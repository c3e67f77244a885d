import { z } from 'zod';

/** Inputs of the master-map, merge and version API. */

export const SetMasterInput = z.object({ master: z.boolean({ error: 'master must be true or false' }) }).strict();

export const WORKSHOP_TITLE_MAX = 200;

/** Without `withComments`, a copy starts with no comments of the master (its votes stay). */
export const StartWorkshopInput = z
  .object({
    title: z.string().trim().min(1, 'Give the workshop copy a name').max(WORKSHOP_TITLE_MAX, `A workshop name can be at most ${WORKSHOP_TITLE_MAX} characters`).optional(),
    withComments: z.boolean({ error: 'withComments must be true or false' }).default(false),
  })
  .strict();

const ChangeIds = z.array(z.string().min(1).max(1000), { error: 'changes must be a list of change ids' }).max(100_000);
const ResolutionsSchema = z.record(z.string(), z.enum(['copy', 'master'], { error: 'a resolution is "copy" or "master"' }));

export const MergeInput = z.object({ changes: ChangeIds, resolutions: ResolutionsSchema.default({}) }).strict();

/** Without `changes`, a refresh pulls every change of the master that is not a conflict. */
export const RefreshInput = z.object({ changes: ChangeIds.optional(), resolutions: ResolutionsSchema.default({}) }).strict();

export const SaveVersionInput = z
  .object({ name: z.string({ error: 'name is required' }).trim().min(1, 'name must be 1 to 100 characters').max(100, 'name must be 1 to 100 characters') })
  .strict();
