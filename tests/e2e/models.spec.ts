import { test, expect, type Page } from '@playwright/test';
import { b64, openApp, sample } from './helpers';

interface Entry {
	id: string;
	kind: 'model' | 'runtime';
	file: string;
	bytes: number;
	sha256: string;
	licence: string;
	source: { package: string };
}
/** The manifest as the app serves it (the build's copy of static/models/manifest.json). */
let MANIFEST: Entry[] = [];
test.beforeAll(async ({ playwright }, info) => {
	const req = await playwright.request.newContext({ baseURL: info.project.use.baseURL });
	MANIFEST = await (await req.get('/models/manifest.json')).json();
	await req.dispose();
});
const MB = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
const FACE_MODELS = ['blazeface-front-128', 'blazeface-back-256'];

/** Paths of the model files in Cache Storage. */
async function cachedPaths(page: Page): Promise<string[]> {
	return page.evaluate(async () => {
		const name = (await caches.keys()).find((n) => n.startsWith('darkroom-models'));
		return name ? (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname).sort() : [];
	});
}

/** darkroom._debug.detectFaces on a sample photo, as plain data (value or error). */
async function detectFaces(page: Page, n = 2): Promise<{ ok: true; faces: number } | { ok: false; message: string; code: string; ms: number }> {
	return page.evaluate(async (s) => {
		const t0 = performance.now();
		try {
			const r = await (window as any).darkroom._debug.detectFaces({ base64: s });
			return { ok: true as const, faces: r.faces.length };
		} catch (e: any) {
			return { ok: false as const, message: String(e?.message), code: String(e?.code), ms: performance.now() - t0 };
		}
	}, b64(sample(n)));
}

test('the settings page lists every manifest model with size, licence and source, runtimes in their own group', async ({ page }) => {
	await openApp(page, '/settings');
	const rows = page.getByTestId('settings-model');
	await expect(rows).toHaveCount(MANIFEST.length);
	for (const e of MANIFEST) {
		const row = page.locator(`[data-testid="settings-model"][data-id="${e.id}"]`);
		await expect(row).toContainText(e.id);
		await expect(row.getByTestId('settings-size')).toHaveText(MB(e.bytes));
		await expect(row.getByTestId('settings-licence')).toHaveText(e.licence);
		await expect(row).toContainText(e.source.package);
		await expect(row.getByTestId('settings-status')).toHaveText(/Not downloaded/);
		const group = e.kind === 'runtime' ? 'settings-group-runtime' : 'settings-group-model';
		await expect(page.getByTestId(group).locator(`[data-id="${e.id}"]`)).toHaveCount(1);
	}
	await expect(page.getByTestId('settings-usage')).toContainText(/used by this site/);
	// reachable from the header
	await page.goto('/');
	await page.getByTestId('nav-settings').click();
	await expect(page).toHaveURL(/\/settings$/);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Models and offline storage');
});

test('models API: list, download with byte progress, delete', async ({ page }) => {
	await openApp(page);
	const list = await page.evaluate(() => (window as any).darkroom.models.list());
	expect(list.models.map((m: any) => m.id)).toEqual(MANIFEST.map((e) => e.id));
	expect(list.total_bytes).toBe(MANIFEST.reduce((n, e) => n + e.bytes, 0));
	expect(list.cached_bytes).toBe(0);
	expect(list.models[0]).toMatchObject({
		id: MANIFEST[0].id,
		file: MANIFEST[0].file,
		bytes: MANIFEST[0].bytes,
		sha256: MANIFEST[0].sha256,
		licence: MANIFEST[0].licence,
		source_package: MANIFEST[0].source.package,
		cached: false,
		cached_bytes: 0
	});
	expect(list.models[0].purpose).toBeTruthy();

	const r = await page.evaluate(async (ids) => {
		const seen: any[] = [];
		const out = await (window as any).darkroom.models.download(ids, { onProgress: (p: any) => seen.push(p) });
		return { out, seen };
	}, FACE_MODELS);
	const total = MANIFEST.filter((e) => FACE_MODELS.includes(e.id)).reduce((n, e) => n + e.bytes, 0);
	expect(r.out.downloaded).toEqual(FACE_MODELS);
	expect(r.out.downloaded_bytes).toBe(total);
	expect(r.out.models.every((m: any) => m.cached)).toBe(true);
	expect(r.seen.at(-1)).toMatchObject({ loaded: total, total, index: 2, count: 2 });
	for (let i = 1; i < r.seen.length; i++) expect(r.seen[i].loaded).toBeGreaterThanOrEqual(r.seen[i - 1].loaded);
	expect(await cachedPaths(page)).toEqual(expect.arrayContaining(['/models/blazeface-back-256.onnx', '/models/blazeface-front-128.onnx']));

	// again: nothing to fetch
	const again = await page.evaluate((ids) => (window as any).darkroom.models.download(ids), FACE_MODELS);
	expect(again.downloaded).toEqual([]);

	const del = await page.evaluate(() => (window as any).darkroom.models.delete(['blazeface-back-256']));
	expect(del.deleted).toEqual(['blazeface-back-256']);
	expect(await cachedPaths(page)).not.toContain('/models/blazeface-back-256.onnx');

	const bad = await page.evaluate(() => (window as any).darkroom.models.delete(['nope']).catch((e: any) => ({ status: e.status, message: e.message })));
	expect(bad.status).toBe(404);
	expect(bad.message).toContain('Model "nope" is not in the model manifest');
	expect(await page.evaluate(() => (window as any).darkroom.capabilities().filter((c: any) => c.method.startsWith('models.')).map((c: any) => c.method))).toEqual([
		'models.list',
		'models.download',
		'models.delete',
		'models.add_inpainter',
		'models.inpainter',
		'models.use_inpainter',
		'models.remove_inpainter'
	]);
});

test('download all shows byte progress and ends with every model cached; delete removes them from Cache Storage', async ({ page }) => {
	test.setTimeout(180_000);
	await openApp(page, '/settings');
	await expect(page.getByTestId('settings-model')).toHaveCount(MANIFEST.length);
	// Record every progress text the page shows (the download is quick on localhost).
	await page.evaluate(() => {
		(window as any).__progress = [];
		new MutationObserver(() => {
			const el = document.querySelector('[data-testid="model-progress-bytes"]');
			const bar = document.querySelector('[data-testid="model-progress"] [role="progressbar"]');
			if (el) (window as any).__progress.push({ text: el.textContent, now: Number(bar?.getAttribute('aria-valuenow')) });
		}).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
	});
	await page.getByTestId('settings-download-all').click();
	await expect(page.getByTestId('settings-message')).toContainText(`Downloaded ${MANIFEST.length} files`, { timeout: 120_000 });
	const seen: { text: string; now: number }[] = await page.evaluate(() => (window as any).__progress);
	const totalMB = MB(MANIFEST.reduce((n, e) => n + e.bytes, 0));
	expect(seen.length).toBeGreaterThan(2);
	expect(seen[0].text).toMatch(new RegExp(`^[\\d.]+ MB of ${totalMB.replace('.', '\\.')} \\([\\d.]+%\\)$`));
	expect(seen.some((s) => s.now > 0 && s.now < 100)).toBe(true);
	for (let i = 1; i < seen.length; i++) expect(seen[i].now).toBeGreaterThanOrEqual(seen[i - 1].now);
	for (const e of MANIFEST) await expect(page.locator(`[data-testid="settings-model"][data-id="${e.id}"]`)).toHaveAttribute('data-cached', 'true');
	await expect(page.getByTestId('settings-message')).toBeVisible();
	expect(await cachedPaths(page)).toEqual(expect.arrayContaining(MANIFEST.map((e) => `/models/${e.file}`)));

	// one row
	const row = page.locator('[data-testid="settings-model"][data-id="isnet-small"]');
	await row.getByTestId('settings-delete').click();
	await expect(row).toHaveAttribute('data-cached', 'false');
	await expect(row.getByTestId('settings-status')).toHaveText('Not downloaded');
	expect(await cachedPaths(page)).not.toContain('/models/isnet-small.onnx');
	// and all
	await page.getByTestId('settings-delete-all').click();
	await expect(page.locator('[data-testid="settings-model"][data-cached="true"]')).toHaveCount(0);
	expect(await cachedPaths(page)).toEqual(['/models/manifest.json']);
	// per-row download
	await page.locator('[data-testid="settings-model"][data-id="blazeface-front-128"]').getByTestId('settings-download').click();
	await expect(page.locator('[data-testid="settings-model"][data-id="blazeface-front-128"]')).toHaveAttribute('data-cached', 'true');
	expect(await cachedPaths(page)).toEqual(['/models/blazeface-front-128.onnx', '/models/manifest.json']);
});

test('after downloading, face detection works with the network off', async ({ page, context }) => {
	test.setTimeout(180_000);
	await openApp(page, '/settings');
	await page.waitForFunction(async () => !!(await navigator.serviceWorker.ready).active, undefined, { timeout: 60_000 });
	await page.getByTestId('settings-download-all').click();
	await expect(page.getByTestId('settings-message')).toContainText('Downloaded', { timeout: 120_000 });
	await page.reload();
	await page.waitForFunction(() => !!navigator.serviceWorker.controller);
	await context.setOffline(true);
	try {
		// A fresh page and worker: nothing in memory, so the models must come from Cache Storage.
		await page.reload();
		await page.waitForFunction(() => typeof (window as any).darkroom?.image?.process === 'function');
		expect(await page.evaluate(() => fetch('/models/manifest.json', { cache: 'no-store' }).then(() => 'online', () => 'offline'))).toBe('offline');
		const r = await detectFaces(page, 1);
		expect(r).toEqual({ ok: true, faces: 3 });
		await page.goto('/settings');
		await expect(page.locator('[data-testid="settings-model"][data-cached="true"]')).toHaveCount(MANIFEST.length);
	} finally {
		await context.setOffline(false);
	}
});

test('a corrupt model is a clear error naming the model and the hash mismatch', async ({ page, context }) => {
	// context.route also sees the worker's requests
	await context.route(/\/models\/blazeface-[^/]+\.onnx/, async (route) => {
		const res = await route.fetch();
		const body = Buffer.from(await res.body());
		body[body.length >> 1] ^= 0xff;
		await route.fulfill({ response: res, body });
	});
	await openApp(page);
	expect(await cachedPaths(page)).toEqual([]);
	const r = await detectFaces(page);
	expect(r.ok).toBe(false);
	if (r.ok) return;
	expect(r.code).toBe('internal');
	expect(r.message).toMatch(/model "blazeface-(front-128|back-256)" \(blazeface-[\w-]+\.onnx\) failed verification: SHA-256 [0-9a-f]{64}, the manifest says [0-9a-f]{64}/);
	expect(await cachedPaths(page)).not.toContain('/models/blazeface-front-128.onnx');

	// the settings page says the same
	await page.goto('/settings');
	await page.locator('[data-testid="settings-model"][data-id="blazeface-front-128"]').getByTestId('settings-download').click();
	await expect(page.getByTestId('settings-error')).toContainText('model "blazeface-front-128" (blazeface-front-128.onnx) failed verification: SHA-256');
	await expect(page.locator('[data-testid="settings-model"][data-id="blazeface-front-128"]')).toHaveAttribute('data-cached', 'false');
});

test('a missing model (404) is a clear error naming the model', async ({ page, context }) => {
	await context.route(/\/models\/blazeface-[^/]+\.onnx/, (route) => route.fulfill({ status: 404, body: 'Not found' }));
	await openApp(page);
	const r = await detectFaces(page);
	expect(r.ok).toBe(false);
	if (r.ok) return;
	expect(r.message).toMatch(/Could not download model "blazeface-(front-128|back-256)" \(blazeface-[\w-]+\.onnx\) from http:\/\/[^ ]+\/models\/blazeface-[\w-]+\.onnx\?sha256=[0-9a-f]{64}: HTTP 404/);
	const api = await page.evaluate(() => (window as any).darkroom.models.download(['blazeface-back-256']).catch((e: any) => e.message));
	expect(api).toContain('Could not download model "blazeface-back-256"');
	expect(api).toContain('HTTP 404');
});

test('a stalled download fails within the configured stall timeout instead of hanging', async ({ page, context }) => {
	const pending: (() => void)[] = [];
	// Never answers (until the test ends).
	await context.route(/\/models\/blazeface-[^/]+\.onnx/, (route) => new Promise<void>((resolve) => pending.push(() => route.abort().catch(() => {}).then(resolve))));
	await openApp(page);
	const bad = await page.evaluate(() => {
		try {
			(window as any).darkroom.configure({ modelStallMs: 5 });
			return null;
		} catch (e: any) {
			return e.message;
		}
	});
	expect(bad).toBe('Expected integer from 100 to 600000 (milliseconds) for modelStallMs but received 5 of type number');
	await page.evaluate(async () => {
		(window as any).darkroom.configure({ modelStallMs: 2000 });
		await (window as any).darkroom.models.list(); // resolves once workers can see the setting
	});
	// through the worker (the real path of a feature)
	const r = await detectFaces(page);
	expect(r.ok).toBe(false);
	if (r.ok) return;
	expect(r.message).toMatch(/Download of model "blazeface-(front-128|back-256)" \(blazeface-[\w-]+\.onnx\) from \S+ stalled: no data for 2 s/);
	expect(r.ms).toBeGreaterThan(1900);
	expect(r.ms).toBeLessThan(15_000); // ORT's own runtime loads first; the stall itself is 2 s
	// and on the page, shown by the settings page
	await page.goto('/settings');
	const t0 = Date.now();
	await page.locator('[data-testid="settings-model"][data-id="blazeface-back-256"]').getByTestId('settings-download').click();
	await expect(page.getByTestId('settings-error')).toContainText('stalled: no data for 2 s', { timeout: 10_000 });
	expect(Date.now() - t0).toBeLessThan(10_000);
	await expect(page.getByTestId('settings-download-all')).toBeEnabled();
	for (const p of pending) p();
});

test('the settings page in Chinese', async ({ page }) => {
	await page.goto('/');
	await page.evaluate(() => localStorage.setItem('darkroom.lang', 'zh'));
	await openApp(page, '/settings');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('模型与离线存储');
	await expect(page.getByTestId('nav-settings')).toHaveText('模型');
	await expect(page.getByTestId('settings-download-all')).toHaveText('全部下载以供离线使用');
	await expect(page.locator('[data-testid="settings-model"][data-id="isnet-small"]')).toContainText('背景移除');
	await expect(page.getByTestId('settings-status').first()).toHaveText('未下载');
	await expect(page.getByTestId('settings-usage')).toContainText('本站已使用');
});
