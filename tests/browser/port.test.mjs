// port.test.mjs - /port/3516 in a real browser (Debian's headless chromium),
// in English and in Korean, with and without JavaScript, and at phone width.
//
// What a reader sees is checked through the accessibility tree (landmarks,
// headings, button names), the way assistive technology finds it, not
// through CSS classes.  Korean is chosen once by Accept-Language and once
// by ?lang= against a contrary Accept-Language.  Screenshots go to
// tests/artifacts/ (gitignored) for a human to look at.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { buildDb, launch, missing, screenshot, startServer } from './harness.mjs';

const skip = missing() ?? false;

const TEXT = {
	en: {
		sections: ['What this port is', 'The range it belongs to', 'The registry record',
			'What actually happens on it', 'How to check what is listening', 'Why it matters',
			'Questions and answers', 'Sources', 'Was this page helpful?'],
		languageMenu: 'Language',
		helpful: 'Helpful',
		somewhat: 'Somewhat helpful',
		thanks: 'Thank you for your feedback!',
	},
	ko: {
		sections: ['이 포트는 무엇인가요', '속한 범위', '레지스트리 기록', '실제로 일어나는 일',
			'대기 중인 프로그램 확인 방법', '왜 중요한가요', '자주 묻는 질문', '출처',
			'이 페이지가 도움이 되었나요?'],
		languageMenu: '언어',
		helpful: '도움이 됨',
		somewhat: '조금 도움이 됨',
		thanks: '의견을 보내 주셔서 감사합니다!',
	},
};

let db = null;

before(() => {
	if (!skip) db = buildDb();
});

after(() => db?.cleanup());

/* A server and a browser of their own for each test, both stopped whatever happens. */
async function withPage(opts, fn) {
	const server = await startServer(db.db);
	let browser = null;
	try {
		browser = await launch({
			javaScriptEnabled: opts.js ?? true,
			extraHTTPHeaders: { 'Accept-Language': opts.acceptLanguage ?? 'en' },
			viewport: opts.viewport ?? { width: 1280, height: 900 },
		});
		const page = await browser.context.newPage();
		await fn(page, server.base);
	} finally {
		await browser?.close();
		await server.stop();
	}
}

async function checkSections(page, lang) {
	const t = TEXT[lang];
	assert.equal(await page.locator('html').getAttribute('lang'), lang);
	await page.getByRole('heading', { level: 1, name: /3516/ }).waitFor();
	for (const landmark of ['banner', 'main', 'contentinfo'])
		assert.equal(await page.getByRole(landmark).count(), 1, `one ${landmark} landmark`);
	assert.equal(await page.getByRole('navigation', { name: t.languageMenu }).count(), 1);
	for (const name of t.sections) {
		const h = page.getByRole('heading', { level: 2, name, exact: true });
		assert.equal(await h.count(), 1, `section "${name}"`);
	}
	/* The commands of "how to check" name exactly this port, on TCP and UDP. */
	await page.getByText("ss -Htulpn 'sport = :3516'").first().waitFor();
	await page.getByText('netstat -ano | findstr /R /C:":3516 "').first().waitFor();
}

async function voteAndThank(page, lang, answer) {
	const t = TEXT[lang];
	await page.getByRole('button', { name: t[answer], exact: true }).click();
	await page.getByText(t.thanks, { exact: true }).waitFor({ timeout: 10000 });
}

test('English page: sections, then a vote thanked in place', { skip }, async () => {
	await withPage({ acceptLanguage: 'en-US,en;q=0.9' }, async (page, base) => {
		await page.goto(`${base}/port/3516`);
		await checkSections(page, 'en');
		await screenshot(page, 'port-3516-en');
		const url = page.url();
		await voteAndThank(page, 'en', 'helpful');
		assert.equal(page.url(), url, 'with JavaScript the vote does not leave the page');
		assert.equal(await page.getByRole('status').filter({ hasText: TEXT.en.thanks }).count(), 1);
		await screenshot(page, 'port-3516-en-voted');
	});
});

test('Korean by Accept-Language: sections, then a vote thanked in Korean', { skip }, async () => {
	await withPage({ acceptLanguage: 'ko-KR,ko;q=0.9,en;q=0.5' }, async (page, base) => {
		await page.goto(`${base}/port/3516`);
		await checkSections(page, 'ko');
		await screenshot(page, 'port-3516-ko');
		await voteAndThank(page, 'ko', 'somewhat');
		await screenshot(page, 'port-3516-ko-voted');
	});
});

test('Korean by ?lang=ko wins over Accept-Language', { skip }, async () => {
	await withPage({ acceptLanguage: 'de' }, async (page, base) => {
		await page.goto(`${base}/port/3516?lang=ko`);
		await checkSections(page, 'ko');
		await voteAndThank(page, 'ko', 'helpful');
	});
});

for (const lang of ['en', 'ko']) {
	test(`without JavaScript (${lang}): the vote is a form POST and a redirect`, { skip }, async () => {
		await withPage({ js: false, acceptLanguage: lang }, async (page, base) => {
			await page.goto(`${base}/port/3516`);
			await checkSections(page, lang);
			const [response] = await Promise.all([
				page.waitForNavigation(),
				page.getByRole('button', { name: TEXT[lang].helpful, exact: true }).click(),
			]);
			assert.equal(response.status(), 200);
			const url = new URL(page.url());
			assert.equal(url.pathname, '/port/3516');
			assert.notEqual(url.search, '', 'the redirect marks the page as voted');
			await page.getByText(TEXT[lang].thanks, { exact: true }).waitFor();
			assert.equal(await page.locator('html').getAttribute('lang'), lang);
			await screenshot(page, `port-3516-${lang}-nojs-voted`);
		});
	});
}

for (const lang of ['en', 'ko']) {
	test(`phone width 390px (${lang}): no horizontal scroll`, { skip }, async () => {
		await withPage({ acceptLanguage: lang, viewport: { width: 390, height: 844 } },
			async (page, base) => {
				for (const path of ['/port/3516', '/', '/range/registered']) {
					await page.goto(`${base}${path}`);
					const { scroll, client } = await page.evaluate(() => ({
						scroll: document.documentElement.scrollWidth,
						client: document.documentElement.clientWidth,
					}));
					assert.ok(scroll <= client, `${path}: ${scroll}px wide in a ${client}px screen`);
				}
				await page.goto(`${base}/port/3516`);
				await screenshot(page, `port-3516-${lang}-phone`);
			});
	});
}
