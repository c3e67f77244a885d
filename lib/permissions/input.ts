import { z } from 'zod';
import { MEMBER_ROLES, ROLES } from './roles';

/** Inputs of the accounts and sharing API, shared by the forms, the routes and the CLI. */

export const EmailSchema = z
  .string({ error: 'email is required' })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: (issue) => `email must be an email address (got ${JSON.stringify(issue.input)})` }));

export const PasswordSchema = z
  .string({ error: 'password is required' })
  .min(8, 'password must be at least 8 characters')
  .max(200, 'password must be at most 200 characters');

/** Control characters (NUL among them, which PostgreSQL cannot store) have no place in a name or a title. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

export const PersonNameSchema = z
  .string({ error: 'name is required' })
  .trim()
  .min(1, 'name must not be empty')
  .max(100, 'name must be at most 100 characters')
  .refine((value) => !CONTROL_CHARACTER.test(value), 'name must not contain control characters');

export const MapTitleSchema = z
  .string({ error: 'title is required' })
  .trim()
  .min(1, 'title must be 1 to 200 characters')
  .max(200, 'title must be 1 to 200 characters')
  .refine((value) => !CONTROL_CHARACTER.test(value), 'title must not contain control characters');

export const RoleSchema = z.enum(ROLES, { error: (issue) => `role must be one of ${ROLES.join(', ')} (got ${JSON.stringify(issue.input)})` });
export const MemberRoleSchema = z.enum(MEMBER_ROLES, {
  error: (issue) => `role must be one of ${MEMBER_ROLES.join(', ')} (got ${JSON.stringify(issue.input)})`,
});
export const TemplateSchema = z.enum(['blank', 'demo'], { error: (issue) => `template must be blank or demo (got ${JSON.stringify(issue.input)})` });

export const SignUpInput = z.object({ email: EmailSchema, name: PersonNameSchema, password: PasswordSchema });
export const CreateMapInput = z.object({ title: MapTitleSchema, template: TemplateSchema.default('blank') }).strict();
export const UpdateMapInput = z.object({ title: MapTitleSchema }).strict();
export const AddMemberInput = z.object({ email: EmailSchema, role: MemberRoleSchema }).strict();
export const ChangeMemberInput = z
  .object({ email: EmailSchema, role: RoleSchema })
  .strict()
  .describe('role "owner" transfers ownership; the former owner becomes an editor');
export const RemoveMemberInput = z.object({ email: EmailSchema }).strict();
/** A link's token (email confirmation, invitation), as the page or the API receives it. */
export const TokenInput = z.object({ token: z.string({ error: 'token is required' }).min(1, 'token must not be empty').max(1000, 'token is too long to be a link of this app') }).strict();
