// Takes the README's screenshots from a running app:
//   node --import tsx scripts/screenshots.ts http://localhost:3000 <email> <password> [out-dir]
import { launchChromium } from '../tests/support/chromium';

const [base = 'http://localhost:3000', email, password, out = 'docs/screenshots'] = process.argv.slice(2);
if (!email || !password) {
  console.error('Usage: scripts/screenshots.ts <base-url> <email> <password> [out-dir]');
  process.exit(2);
}

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(base, { waitUntil: 'networkidle' });
  await page.screenshot({ path: `${out}/login.png` });
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
  await page.waitForURL(`${base}/`);
  await page.getByRole('list', { name: 'Maps' }).waitFor();
  await page.screenshot({ path: `${out}/dashboard.png`, fullPage: true });
  await page.getByRole('link', { name: 'Open map' }).first().click();
  await page.waitForURL(/\/maps\/[^/]+$/);
  await page.locator('[data-testid="connection-state"][data-state="connected"]').waitFor();
  await page.locator('.react-flow__node-touchpoint').first().waitFor();
  await page.screenshot({ path: `${out}/canvas.png` });
  await page.goto(`${base}/`);
  await page.getByRole('link', { name: 'Annotations' }).first().click();
  await page.waitForURL(/\/report$/);
  await page.screenshot({ path: `${out}/report.png`, fullPage: true });
  await page.getByRole('link', { name: 'Members' }).first().click();
  await page.waitForURL(/\/members$/);
  await page.screenshot({ path: `${out}/members.png`, fullPage: true });
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
}
