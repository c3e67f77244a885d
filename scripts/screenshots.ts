// Takes the README's screenshots from a running app: `node --import tsx scripts/screenshots.ts http://localhost:3000`.
import { launchChromium } from '../tests/support/chromium';

const base = process.argv[2] ?? 'http://localhost:3000';
const out = process.argv[3] ?? 'docs/screenshots';

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(base, { waitUntil: 'networkidle' });
  await page.screenshot({ path: `${out}/maps.png`, fullPage: true });
  const first = page.locator('a[href^="/maps/"]').first();
  await first.click();
  await page.waitForURL(/\/maps\/.+\/report/);
  await page.screenshot({ path: `${out}/report.png`, fullPage: true });
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
}
