// pages.test.mjs - every page type as a reader sees it: at 1280 and 390 px
// wide, in the light and the dark scheme, in English and in Korean.
//
// Each page is checked by axe-core (node_modules/axe-core, injected into
// the page; the context bypasses the page's CSP for that script alone) and
// must have no serious or critical violation: contrast, names, landmarks,
// ARIA.  On a port page the summary must sit in the first screen, and each
// vote button must show its face: the button's colours must contrast at
// 4.5:1, and the face must be drawn, i.e. a screenshot of it must hold
// pixels that differ from the button's background.  The blank buttons of
// issue 15 were white glyphs on white: present in the DOM, invisible.
// Full-page screenshots go to tests/artifacts/pages/ for a human to judge.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ARTIFACTS, ROOT, buildDb, launch, missing, startServer } from './harness.mjs';

const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const skip = missing() ?? false;
const SHOTS = path.join(ARTIFACTS, 'pages');

const PAGES = [
	['home', '/'],
	['port-3516', '/port/3516'],
	['port-3126', '/port/3126'],
	['port-31337', '/port/31337'],
	['search', '/search?q=smartcard'],
	['range', '/range/registered'],
	['block', '/range/3072-3135'],
	['service', '/service/smartcard-port'],
	['error', '/port/abc'],
];
const WIDTHS = [{ width: 1280, height: 800 }, { width: 390, height: 844 }];

let db = null;
let server = null;

before(async () => {
	if (skip) return;
	db = buildDb();
	server = await startServer(db.db);
	mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
	await server?.stop();
	db?.cleanup();
});

/* WCAG relative luminance and contrast of two computed "rgb(r, g, b)" colours. */
function luminance(css) {
	const [r, g, b] = css.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
		const c = v / 255;
		return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	});
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a, b) {
	const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
	return (hi + 0.05) / (lo + 0.05);
}

async function axeViolations(page) {
	await page.addScriptTag({ path: AXE });
	const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
	return result.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

/*
 * How many pixels of a PNG differ clearly from its top-left pixel (the
 * button's background around the face), decoded by the browser on a blank
 * page of its own, where the site's CSP does not forbid a data: image.
 */
async function inkPixels(blank, png) {
	return blank.evaluate(async (b64) => {
		const img = new Image();
		img.src = `data:image/png;base64,${b64}`;
		await img.decode();
		const c = document.createElement('canvas');
		c.width = img.width;
		c.height = img.height;
		const g = c.getContext('2d');
		g.drawImage(img, 0, 0);
		const d = g.getImageData(0, 0, c.width, c.height).data;
		let n = 0;
		for (let i = 0; i < d.length; i += 4) {
			const diff = Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]);
			if (diff > 96) n++;
		}
		return n;
	}, png.toString('base64'));
}

async function checkVote(page, blank, where) {
	const buttons = page.locator('form.vote-form button[name=answer]');
	assert.equal(await buttons.count(), 3, `${where}: three vote buttons`);
	for (let i = 0; i < 3; i++) {
		const b = buttons.nth(i);
		const { color, background } = await b.evaluate((el) => {
			const s = getComputedStyle(el);
			return { color: s.color, background: s.backgroundColor };
		});
		const ratio = contrast(color, background);
		assert.ok(ratio >= 4.5, `${where}: vote button ${i + 1} contrast ${ratio.toFixed(2)}:1`);
		const face = await b.locator('span').screenshot();
		const ink = await inkPixels(blank, face);
		assert.ok(ink >= 40, `${where}: vote button ${i + 1}'s face is blank (${ink} pixels drawn)`);
	}
}

for (const lang of ['en', 'ko']) {
	for (const scheme of ['light', 'dark']) {
		test(`every page type, ${lang}, ${scheme}: axe-clean, summary first, vote visible`, { skip }, async () => {
			const failures = [];
			for (const viewport of WIDTHS) {
				const browser = await launch({
					viewport, colorScheme: scheme, bypassCSP: true,
					extraHTTPHeaders: { 'Accept-Language': lang },
				});
				try {
					const page = await browser.context.newPage();
					const blank = await browser.context.newPage();
					for (const [name, url] of PAGES) {
						const where = `${url} ${lang} ${scheme} ${viewport.width}px`;
						await page.goto(`${server.base}${url}`);
						assert.equal(await page.locator('html').getAttribute('lang'), lang, where);
						await page.screenshot({
							path: path.join(SHOTS, `${name}-${lang}-${scheme}-${viewport.width}.png`),
							fullPage: true,
						});
						for (const v of await axeViolations(page)) failures.push(`${where}: ${v}`);
						if (!name.startsWith('port-')) continue;
						const box = await page.locator('.glance').boundingBox();
						assert.ok(box && box.y + box.height <= viewport.height,
							`${where}: the summary ends at ${box && box.y + box.height}px, below the first screen`);
						await checkVote(page, blank, where);
					}
				} finally {
					await browser.close();
				}
			}
			assert.deepEqual(failures, [], failures.join('\n'));
		});
	}
}
