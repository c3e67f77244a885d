/**
 * Paths the app cannot read. Next decodes each dynamic segment with
 * decodeURIComponent, which throws on a broken percent-encoding (a lone "%",
 * "%ZZ", a cut UTF-8 sequence), and answers that with a 500; the server
 * refuses such a path first, with a sentence. Pure: no Node, no Next.
 */

/** Why `pathname` cannot be read, or null when it can. */
export function unreadablePathReason(pathname: string): string | null {
  if (!pathname.includes('%')) return null;
  try {
    decodeURIComponent(pathname);
    return null;
  } catch {
    return 'The address has a broken percent-encoding (a "%" must be followed by two hex digits that spell UTF-8); fix the link and try again';
  }
}
