import { test, expect, type Page } from '@playwright/test';
import { b64, call, callError, inspect, openApp, sample } from './helpers';
import { unzip } from '../../src/lib/library/zip';

/** Batch jobs through window.darkroom: per-item failures, webhook, zip, reload resume, cancel. */

const photo = (n: number) => ({ base64: b64(sample(n)) });

async function waitFor(page: Page, id: string, done: (j: any) => boolean, timeout = 120_000): Promise<any> {
	const t0 = Date.now();
	for (;;) {
		const j = await call(page, 'image.batch.status', { id });
		if (done(j)) return j;
		if (Date.now() - t0 > timeout) throw new Error(`batch ${id} did not get there: ${JSON.stringify({ ...j, results: undefined })}`);
		await page.waitForTimeout(250);
	}
}

async function cleanup(page: Page) {
	await page.evaluate(async () => {
		const d = (window as any).darkroom;
		for (const j of (await d.image.batch.list({ limit: 500 })).items) {
			if (j.status === 'queued' || j.status === 'running') await d.image.batch.cancel({ id: j.id });
		}
	});
}

test.beforeEach(async ({ page }) => openApp(page));
test.afterEach(async ({ page }) => cleanup(page));

test('a corrupt item fails alone; results, zip and the webhook (retried once) follow', async ({ page }) => {
	test.setTimeout(120_000);
	const hooks: { body: any; attempt: number }[] = [];
	await page.route('https://hooks.example.test/**', async (route) => {
		const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'content-type', 'Access-Control-Allow-Methods': 'POST' };
		if (route.request().method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
		hooks.push({ body: route.request().postDataJSON(), attempt: hooks.length + 1 });
		await route.fulfill({ status: hooks.length === 1 ? 500 : 200, body: 'ok', headers: cors });
	});
	const truncated = b64(sample(2).subarray(0, 5000));
	const job = await call(page, 'image.batch.submit', {
		items: [
			{ image: photo(1), ops: [{ op: 'resize', params: { width: 200 } }] },
			{ image: { base64: truncated }, ops: [{ op: 'resize', params: { width: 200 } }], name: 'broken.jpg' },
			{ image: photo(3), ops: [{ op: 'resize', params: { width: 200 } }, { op: 'flip' }], format: 'png' }
		],
		format: 'webp',
		webhook_url: 'https://hooks.example.test/done'
	});
	expect(job).toMatchObject({ id: expect.stringMatching(/^job_[0-9a-f]{20}$/), count: 3, status: expect.stringMatching(/queued|running/) });
	expect(Date.parse(job.created_at)).toBeGreaterThan(0);
	const end = await waitFor(page, job.id, (j) => j.status === 'completed' && j.webhook?.status !== 'pending');
	expect(end).toMatchObject({ status: 'completed', count: 3, done: 2, failed: 1, cancelled: 0 });
	const [a, broken, c] = end.results;
	expect(a).toMatchObject({ index: 0, status: 'done', mime: 'image/webp', width: 200 });
	expect(broken).toMatchObject({ index: 1, name: 'broken.jpg', status: 'failed', error: { status: 400, code: 'invalid_image' } });
	expect(c).toMatchObject({ index: 2, status: 'done', mime: 'image/png', width: 200 });
	expect((await inspect(page, a.image_url)).width).toBe(200);
	// Webhook: the first POST got a 500, the retry a 200.
	expect(end.webhook).toMatchObject({ status: 'sent', attempts: 2, last_status: 200 });
	expect(hooks).toHaveLength(2);
	expect(hooks[1].body).toMatchObject({ id: job.id, status: 'completed', done: 2, failed: 1 });
	expect(hooks[1].body.results[0].image_url).toBeUndefined();
	// All results as one ZIP.
	const z = await call(page, 'image.batch.download', { id: job.id });
	expect(z.files).toBe(2);
	const zipBytes: number[] = await page.evaluate(async (u) => Array.from(await (window as any).darkroom.fetchBytes(u)), z.zip_url);
	const entries = unzip(Uint8Array.from(zipBytes));
	expect(entries.map((e) => e.name)).toEqual(['item-1.webp', 'item-3.png']);
	expect(entries[0].data.length).toBe(a.bytes);
	expect(Buffer.from(entries[1].data.subarray(1, 4)).toString()).toBe('PNG');
	expect(await call(page, 'image.batch.delete', { id: job.id })).toEqual({ ok: true, id: job.id });
	expect((await callError(page, 'image.batch.status', { id: job.id })).status).toBe(404);
});

/** finished_at of the job's items as stored in IndexedDB (only the done ones with `doneOnly`). */
async function finishedAt(page: Page, id: string, doneOnly: boolean): Promise<Record<number, string>> {
	return page.evaluate(
		async ({ id, doneOnly }) => {
			const req = indexedDB.open('darkroom-batches');
			const db: IDBDatabase = await new Promise((r) => (req.onsuccess = () => r(req.result)));
			const all: any[] = await new Promise((r) => {
				const g = db.transaction('items').objectStore('items').index('job_id').getAll(id);
				g.onsuccess = () => r(g.result);
			});
			db.close();
			return Object.fromEntries(all.filter((i) => !doneOnly || i.status === 'done').map((i) => [i.index, i.finished_at]));
		},
		{ id, doneOnly }
	);
}

const heavy = [{ op: 'rotate', params: { degrees: 7 } }, { op: 'resize', params: { width: 1400 } }, { op: 'convert', params: { format: 'avif', quality: 60 } }];

test('a reload resumes the job without redoing finished items', async ({ page }) => {
	test.setTimeout(240_000);
	const job = await call(page, 'image.batch.submit', { items: [1, 2, 3, 4, 5, 6].map((n) => ({ image: photo(n), ops: heavy })) });
	const first = await waitFor(page, job.id, (j) => j.done >= 1);
	const finishedBefore = first.results.filter((r: any) => r.status === 'done').map((r: any) => r.index);
	const stampsBefore = await finishedAt(page, job.id, true);
	await page.reload();
	await page.waitForFunction(() => typeof (window as any).darkroom?.image?.batch?.status === 'function');
	const end = await waitFor(page, job.id, (j) => j.status === 'completed', 200_000);
	expect(end).toMatchObject({ done: 6, failed: 0 });
	for (const r of end.results) expect(r).toMatchObject({ status: 'done', mime: 'image/avif' });
	const stampsAfter = await finishedAt(page, job.id, false);
	for (const i of finishedBefore) expect(stampsAfter[i], `item ${i} was redone`).toBe(stampsBefore[i]);
	await call(page, 'image.batch.delete', { id: job.id });
});

test('cancel stops what has not started and keeps finished results', async ({ page }) => {
	test.setTimeout(180_000);
	const job = await call(page, 'image.batch.submit', { items: [1, 2, 3, 4, 5, 6].map((n) => ({ image: photo(n), ops: heavy })) });
	await waitFor(page, job.id, (j) => j.done >= 1);
	expect(await call(page, 'image.batch.cancel', { id: job.id })).toEqual({ id: job.id, status: 'cancelled' });
	// Items already running finish; nothing new starts.
	const end = await waitFor(page, job.id, (j) => !j.results.some((r: any) => r.status === 'running' || r.status === 'queued'));
	expect(end.status).toBe('cancelled');
	expect(end.done).toBeGreaterThanOrEqual(1);
	expect(end.cancelled).toBeGreaterThanOrEqual(1);
	expect(end.done + end.failed + end.cancelled).toBe(6);
	for (const r of end.results.filter((r: any) => r.status === 'done')) expect((await inspect(page, r.image_url)).width).toBe(1400);
	// A second cancel changes nothing; the results are still downloadable.
	expect((await call(page, 'image.batch.cancel', { id: job.id })).status).toBe('cancelled');
	expect((await call(page, 'image.batch.download', { id: job.id })).files).toBe(end.done);
	await call(page, 'image.batch.delete', { id: job.id });
});

test('bad submissions are refused up front; idempotency_key returns the same job', async ({ page }) => {
	expect((await callError(page, 'image.batch.submit', { items: [] })).param).toBe('items');
	const op = await callError(page, 'image.batch.submit', { items: [{ image: photo(1) }, { image: photo(1), ops: [{ op: 'resize', params: { width: -4 } }] }] });
	expect([op.status, op.param]).toEqual([400, 'items[1].ops[0].params.width']);
	expect((await callError(page, 'image.batch.submit', { items: [{ ops: [] }] })).param).toBe('items[0].image');
	expect((await callError(page, 'image.batch.submit', { items: [{ image: photo(1) }], webhook_url: 'ftp://x' })).param).toBe('webhook_url');
	expect((await callError(page, 'image.batch.status', { id: 'job_00000000000000000000' })).status).toBe(404);
	expect((await callError(page, 'image.batch.status', { id: 'nope' })).param).toBe('id');
	const req = { items: [{ image: photo(5), ops: [{ op: 'resize', params: { width: 64 } }] }], idempotency_key: `k-${Date.now()}` };
	const a = await call(page, 'image.batch.submit', req);
	const b = await call(page, 'image.batch.submit', req);
	expect(b.id).toBe(a.id);
	const c = await callError(page, 'image.batch.submit', { ...req, items: [{ image: photo(5), ops: [{ op: 'resize', params: { width: 65 } }] }] });
	expect(c.status).toBe(422);
	await waitFor(page, a.id, (j) => j.status === 'completed');
	await call(page, 'image.batch.delete', { id: a.id });
});
