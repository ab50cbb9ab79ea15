// harness.mjs - what every browser test needs: a registry database, a
// running `portolan serve` on a free loopback port, and a headless Debian
// chromium driven by playwright-core (which downloads no browser itself).
//
// The database is built once per test file from the IANA XML vendored in
// data/iana/.  Each server is killed by its own pid when the test ends.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.PORTOLAN_BIN ?? path.join(ROOT, 'build', 'portolan');
const XML = path.join(ROOT, 'data', 'iana', 'service-names-port-numbers.xml');
export const ARTIFACTS = path.join(ROOT, 'tests', 'artifacts');
const CHROMIUM = '/usr/bin/chromium';

/* Why a test cannot run here, or null. */
export function missing() {
	if (!existsSync(XML)) return `${XML} is not here`;
	if (!existsSync(BIN)) return `${BIN} is not built`;
	if (!existsSync(CHROMIUM)) return `${CHROMIUM} is not installed (Debian: chromium)`;
	const help = spawnSync(BIN, ['serve', '--help'], { encoding: 'utf8' });
	if (help.status !== 0) return 'this portolan has no serve command yet';
	return null;
}

export function buildDb() {
	const dir = mkdtempSync(path.join(tmpdir(), 'portolan-browser-'));
	const db = path.join(dir, 'portolan.db');
	const r = spawnSync(BIN, ['update', '--from', XML, '--quiet', '--db', db],
		{ encoding: 'utf8', timeout: 120000 });
	if (r.status !== 0) throw new Error(`portolan update failed: ${r.stderr}`);
	return { dir, db, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function freePort() {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

/* Start `portolan serve`; resolves once /healthz answers. */
export async function startServer(db) {
	const port = await freePort();
	const proc = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`, '--db', db],
		{ stdio: ['ignore', 'ignore', 'pipe'] });
	let stderr = '';
	proc.stderr.on('data', (d) => { stderr += d; });
	const base = `http://127.0.0.1:${port}`;
	for (let i = 0; i < 100; i++) {
		if (proc.exitCode !== null) throw new Error(`portolan serve exited: ${stderr}`);
		try {
			const r = await fetch(`${base}/healthz`);
			if (r.ok) break;
		} catch { /* not listening yet */ }
		await new Promise((r) => setTimeout(r, 100));
	}
	return {
		base,
		stop: async () => {
			if (proc.exitCode !== null) return;
			const done = new Promise((r) => proc.once('exit', r));
			process.kill(proc.pid, 'SIGTERM');
			const t = setTimeout(() => proc.exitCode === null && process.kill(proc.pid, 'SIGKILL'), 5000);
			await done;
			clearTimeout(t);
		},
	};
}

/*
 * A browser with a fresh profile (its --user-data-dir, which playwright
 * takes as launchPersistentContext's first argument): no cookie, cache or
 * stored vote carries over from another test.  opts: javaScriptEnabled,
 * extraHTTPHeaders, viewport.
 */
export async function launch(opts) {
	const profile = mkdtempSync(path.join(tmpdir(), 'portolan-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
		...opts,
	});
	return {
		context,
		close: async () => {
			await context.close();
			rmSync(profile, { recursive: true, force: true });
		},
	};
}

export async function screenshot(page, name) {
	mkdirSync(ARTIFACTS, { recursive: true });
	await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}
