import fs from 'node:fs';
import path from 'node:path';

export function readVersion(projectRoot: string): string {
  const pkg: unknown = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
  if (pkg && typeof pkg === 'object' && 'version' in pkg && typeof pkg.version === 'string') return pkg.version;
  return '0.0.0';
}
