import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

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
    if (existing.length >= 32) return { secret: existing, source: 'file' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(32).toString('base64url');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return { secret, source: 'generated' };
}
