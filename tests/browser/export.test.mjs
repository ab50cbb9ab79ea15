// export.test.mjs - the static export (`portolan export DIR`) opened from
// disk in headless chromium: no server at all.  The page must be styled
// (its stylesheet found through a relative link), its sections there, and
// the language menu must lead to the same page in Korean, the file beside it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { BIN, buildDb, launch, missing, screenshot } from './harness.mjs';

const skip = missing() ?? false;
let db = null;
let site = null;

before(() => {
	if (skip) return;
	db = buildDb();
	site = path.join(db.dir, 'site');
	const r = spawnSync(BIN, ['export', '--db', db.db, '--ports', '3500-3530', '--lang', 'en,ko',
		'--quiet', site], { encoding: 'utf8', timeout: 120000 });
	if (r.status !== 0) throw new Error(`portolan export failed: ${r.stderr}`);
});

after(() => db?.cleanup());

test('without JavaScript the port form stays hidden', { skip }, async () => {
	const browser = await launch({ javaScriptEnabled: false });
	try {
		const page = await browser.context.newPage();
		await page.goto(pathToFileURL(path.join(site, 'en', 'port', '3516.html')).href);
		await page.getByRole('heading', { level: 1, name: /3516/ }).waitFor();
		assert.equal(await page.getByRole('search').count(), 0);
	} finally {
		await browser.close();
	}
});

test('an exported page works from disk, in English then Korean', { skip }, async () => {
	const browser = await launch({ javaScriptEnabled: true });
	try {
		const page = await browser.context.newPage();
		const url = pathToFileURL(path.join(site, 'en', 'port', '3516.html')).href;
		await page.goto(url);
		assert.equal(await page.locator('html').getAttribute('lang'), 'en');
		await page.getByRole('heading', { level: 1, name: /3516/ }).waitFor();
		/* style.css was found: the skip link sits off-screen only through it. */
		const left = await page.locator('a.skip').evaluate((a) => getComputedStyle(a).left);
		assert.equal(left, '-999px');
		for (const name of ['What this port is', 'The registry record', 'Sources'])
			assert.equal(await page.getByRole('heading', { level: 2, name, exact: true }).count(), 1);
		/* Nothing that needs a server: no vote; in place of search, a port number opens its file. */
		assert.equal(await page.getByRole('heading', { name: 'Was this page helpful?' }).count(), 0);
		await page.getByRole('search', { name: 'Go to a port' }).getByLabel('Port number').fill('3520');
		await page.getByRole('search', { name: 'Go to a port' }).getByRole('button', { name: 'Go' }).click();
		await page.waitForURL(/\/en\/port\/3520\.html$/);
		await page.getByRole('heading', { level: 1, name: /3520/ }).waitFor();
		await page.goBack();
		await screenshot(page, 'export-3516-en');

		await page.getByRole('navigation', { name: 'Language' }).locator('summary').click();
		await page.getByRole('link', { name: '한국어' }).click();
		await page.waitForURL(/\/ko\/port\/3516\.html$/);
		assert.equal(await page.locator('html').getAttribute('lang'), 'ko');
		await page.getByRole('heading', { level: 2, name: '이 포트는 무엇인가요', exact: true }).waitFor();
		/* The next port is a file of the tree too. */
		await page.getByRole('navigation', { name: '관련 포트' }).getByRole('link', { name: '3517' }).first().click();
		await page.waitForURL(/\/ko\/port\/3517\.html$/);
		await page.getByRole('heading', { level: 1, name: /3517/ }).waitFor();
		await screenshot(page, 'export-3517-ko');
	} finally {
		await browser.close();
	}
});
