import { createHmac } from 'node:crypto';
import { test, expect } from '@playwright/test';
import { b64, call, callError, inspect, openApp, sample, SIGNATURE } from './helpers';

// sample1.jpg: 1920×1280.
const S1 = { base64: b64(sample(1)) };

test.beforeEach(async ({ page }) => {
	await openApp(page);
	// Each test starts from an empty set (IndexedDB is per origin and survives between tests).
	await page.evaluate(async () => {
		const d = (window as any).darkroom;
		for (;;) {
			const { items } = await d.image.transformation.list({ limit: 500 });
			if (!items.length) break;
			for (const t of items) await d.image.transformation.delete({ id: t.id });
		}
	});
});

test('create, get, list with next_cursor, update and delete keep the seed shape', async ({ page }) => {
	const t = await call(page, 'image.transformation.create', { name: 'thumb', transform: 'w_200,h_200,c_cover,f_webp,q_70' });
	expect(t).toMatchObject({ name: 'thumb', transform: 'w_200,h_200,c_cover,f_webp,q_70' });
	expect(t.id).toMatch(/^tr_[0-9a-f]{20}$/);
	expect(Date.parse(t.created_at)).toBeGreaterThan(Date.now() - 60_000);
	for (const n of ['a', 'b', 'c', 'd']) await call(page, 'image.transformation.create', { name: `n${n}`, transform: { width: 100, format: 'png' } });
	const p1 = await call(page, 'image.transformation.list', { limit: 2 });
	expect(p1.items.map((x: any) => x.name)).toEqual(['thumb', 'na']);
	const p2 = await call(page, 'image.transformation.list', { limit: 2, cursor: p1.next_cursor });
	const p3 = await call(page, 'image.transformation.list', { limit: 2, cursor: p2.next_cursor });
	expect([...p2.items, ...p3.items].map((x: any) => x.name)).toEqual(['nb', 'nc', 'nd']);
	expect(p3.next_cursor).toBeUndefined();
	expect((await call(page, 'image.transformation.get', { name: 'thumb' })).id).toBe(t.id);
	const u = await call(page, 'image.transformation.update', { name: 'thumb', transform: { width: 64, height: 64, fit: 'cover' }, new_name: 'tiny' });
	expect(u).toMatchObject({ id: t.id, name: 'tiny', transform: { width: 64, height: 64, fit: 'cover' } });
	expect(await call(page, 'image.transformation.delete', { id: t.id })).toEqual({ ok: true, id: t.id });
	expect((await callError(page, 'image.transformation.get', { id: t.id })).status).toBe(404);
	// Survives a reload (IndexedDB), as a delivery URL needs.
	await page.reload();
	await page.waitForFunction(() => typeof (window as any).darkroom?.image?.transformation?.list === 'function');
	expect((await call(page, 'image.transformation.list', {})).items.map((x: any) => x.name)).toEqual(['na', 'nb', 'nc', 'nd']);
});

test('process runs a named transformation before its ops, by name, t_name or string', async ({ page }) => {
	await call(page, 'image.transformation.create', { name: 'square', transform: 'w_300,h_300,c_cover,f_webp,q_80' });
	await call(page, 'image.transformation.create', { name: 'card', transform: 't_square,f_png' });
	const a = await call(page, 'image.process', { image: S1, transformation: 'square' });
	expect([a.width, a.height, a.mime]).toEqual([300, 300, 'image/webp']);
	expect((await inspect(page, a.image_url)).head).toMatch(SIGNATURE.webp);
	const b = await call(page, 'image.process', { image: S1, transformation: 't_card', ops: [{ op: 'resize', params: { width: 100 } }] });
	expect([b.width, b.height, b.mime]).toEqual([100, 100, 'image/png']);
	// The request's own format wins over the transformation's.
	const c = await call(page, 'image.process', { image: S1, transformation: 'w_96,c_inside', format: 'jpeg' });
	expect([c.width, c.height, c.mime]).toEqual([96, 64, 'image/jpeg']);
});

test('bad names, duplicates, unknown references and cycles are clear errors', async ({ page }) => {
	await call(page, 'image.transformation.create', { name: 'one', transform: 'w_10' });
	const dup = await callError(page, 'image.transformation.create', { name: 'one', transform: 'w_20' });
	expect([dup.status, dup.param]).toEqual([422, 'name']);
	expect(dup.message).toMatch(/"one" already exists/);
	expect((await callError(page, 'image.transformation.create', { name: 'has space', transform: 'w_10' })).param).toBe('name');
	const bad = await callError(page, 'image.transformation.create', { name: 'two', transform: 'w_10,c_stretch' });
	expect([bad.status, bad.param]).toEqual([400, 'transform (c_)']);
	const missing = await callError(page, 'image.transformation.create', { name: 'three', transform: 't_nowhere' });
	expect([missing.status, missing.message]).toEqual([404, expect.stringMatching(/No named transformation "nowhere"/)]);
	await call(page, 'image.transformation.create', { name: 'a', transform: 't_one' });
	const cycle = await callError(page, 'image.transformation.update', { name: 'one', transform: 't_a' });
	expect(cycle.status).toBe(400);
	expect(cycle.message).toMatch(/nested at most 8 deep \(is there a cycle\?\)/);
	const self = await callError(page, 'image.transformation.create', { name: 'me', transform: 't_me' });
	expect([self.status, self.message]).toEqual([400, expect.stringMatching(/cycle/)]);
	const unknown = await callError(page, 'image.process', { image: S1, transformation: 'nothing' });
	expect([unknown.status, unknown.param]).toEqual([404, 'transformation']);
	expect((await callError(page, 'image.transformation.list', { cursor: 'garbage!' })).param).toBe('cursor');
	expect((await callError(page, 'image.transformation.list', { limit: 0 })).param).toBe('limit');
});

test('imgproxy_url signs a named transformation as imgproxy checks it', async ({ page }) => {
	const key = 'aa396160c50ea766910eab53';
	const salt = 'b3fb8f215827bda5d0e7313d';
	await call(page, 'image.transformation.create', { name: 'hero', transform: 'w_1200,h_600,c_cover,g_north,f_webp,q_82' });
	const { url } = await call(page, 'image.transformation.imgproxy_url', { name: 'hero', source: 's3://photos/beach.jpg', host: 'https://img.example.com', key, salt });
	const m = /^https:\/\/img\.example\.com\/([^/]+)(\/.+)$/.exec(url)!;
	expect(m[2]).toBe(`/rs:fill:1200:600:0/g:no/q:82/${Buffer.from('s3://photos/beach.jpg').toString('base64url')}.webp`);
	expect(m[1]).toBe(createHmac('sha256', Buffer.from(key, 'hex')).update(Buffer.from(salt, 'hex')).update(m[2]).digest('base64url'));
	const e = await callError(page, 'image.transformation.imgproxy_url', { transform: 'w_10,c_outside', source: 's3://x', host: 'https://i', key, salt });
	expect(e.status).toBe(422);
});
