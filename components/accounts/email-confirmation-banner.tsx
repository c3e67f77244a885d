import Link from 'next/link';

/** Shown to a signed-in person whose address is not confirmed yet: maps shared with them wait for it. */
export function EmailConfirmationBanner({ email }: { email: string }) {
  return (
    <div role="status" className="rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-950">
      <p className="font-semibold">Check your mail: confirm {email}.</p>
      <p className="mt-1">
        We sent you a link. Invitations to maps open to you once your address is confirmed.{' '}
        <Link href="/verify-email" className="font-semibold underline">
          No mail? Send a new link
        </Link>
      </p>
    </div>
  );
}
