import { chromium } from 'playwright-core';
const [,, file, x, y, w, h, out] = process.argv;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH });
const page = await browser.newPage({ viewport: { width: 2400, height: 1400 } });
await page.setContent(`<body style="margin:0"><img src="data:image/png;base64,${(await import('node:fs')).readFileSync(file).toString('base64')}"></body>`);
await page.screenshot({ path: out, clip: { x: +x, y: +y, width: +w, height: +h } });
await browser.close();
