import type { DefaultSession } from 'next-auth';

declare module 'next-auth' {
  interface Session {
    user: DefaultSession['user'] & { id: string };
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    /** The user's session generation when this session signed in (server/auth/session-generation.ts). */
    gen?: number;
  }
}
