import fs from 'node:fs';

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/**
 * DATA_DIR holds the database (every map, account and password hash) and the
 * generated secret: only the account the server runs as may enter it. Created
 * 0700; an existing directory with a looser mode is tightened to 0700 (the
 * answer says so, for a warning in the log).
 */
export function ensurePrivateDir(dir: string): { tightenedFrom: number | null } {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  const mode = fs.statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return { tightenedFrom: null };
  fs.chmodSync(dir, PRIVATE_DIR);
  return { tightenedFrom: mode };
}

/** A file of ours in DATA_DIR readable by its owner only, also when it was made before with a looser mode; a missing file stays missing. */
export function ensurePrivateFile(file: string): void {
  try {
    if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, PRIVATE_FILE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Writes a private file: 0600 from the moment it exists, and an older file with a looser mode is tightened before the text goes in. */
export function writePrivateFile(file: string, text: string): void {
  ensurePrivateFile(file);
  fs.writeFileSync(file, text, { mode: PRIVATE_FILE });
}
