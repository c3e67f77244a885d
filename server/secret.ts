import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, ensurePrivateFile, writePrivateFile } from './data-dir';

const SECRET_FILE = 'auth-secret';

/**
 * AUTH_SECRET from the environment; without it, a random secret generated
 * into DATA_DIR on first run (mode 0600) and reused after, so that tokens and
 * sessions survive a restart on a developer's machine. Never committed.
 */
export function resolveAuthSecret(env: NodeJS.ProcessEnv, dataDir: string): { secret: string; source: 'env' | 'file' | 'generated' } {
  const fromEnv = env.AUTH_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error('AUTH_SECRET must be at least 32 characters long');
    return { secret: fromEnv, source: 'env' };
  }
  const file = path.join(dataDir, SECRET_FILE);
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) {
      ensurePrivateFile(file);
      return { secret: existing, source: 'file' };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  ensurePrivateDir(dataDir);
  const secret = crypto.randomBytes(32).toString('base64url');
  writePrivateFile(file, `${secret}\n`);
  return { secret, source: 'generated' };
}
