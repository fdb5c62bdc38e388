import { test, expect, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { b64, call, callError, openApp, sample, SAMPLES } from './helpers';

/**
 * The asset library (seed 000 upload/get/list/delete, Darkroom's library.*) on real
 * photos in a real Chromium: IndexedDB records, OPFS bytes. Every test gets a fresh
 * browser context, so a fresh, empty library.
 */

const ID = /^[0-9a-hjkmnp-tv-z]{26}$/;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Uploads sample photos as Files (as a picker gives them) and returns the responses. */
async function upload(page: Page, items: { n: number; name?: string; folder?: string; tags?: string[]; key?: string }[]): Promise<any[]> {
	return page.evaluate(
		async (items) => {
			const d = (window as any).darkroom;
			const out = [];
			for (const it of items) {
				const bytes = Uint8Array.from(atob(it.b64), (c) => c.charCodeAt(0));
				const file = new File([bytes], it.name ?? `sample${it.n}.jpg`, { type: 'image/jpeg' });
				const req: Record<string, unknown> = { file };
				if (it.folder !== undefined) req.folder = it.folder;
				if (it.tags) req.tags = it.tags;
				if (it.key) req.key = it.key;
				out.push(await d.image.upload(req));
			}
			return out;
		},
		items.map((it) => ({ ...it, b64: b64(sample(it.n)) }))
	);
}

async function usage(page: Page) {
	return page.evaluate(() => (window as any).darkroom.library.usage());
}

/** Every asset through image.list pages of `limit`, with the page sizes seen. */
async function listAll(page: Page, req: Record<string, unknown> = {}, limit = 2): Promise<{ ids: string[]; sizes: number[]; items: any[] }> {
	const items: any[] = [];
	const sizes: number[] = [];
	let cursor: string | undefined;
	do {
		const r = await call(page, 'image.list', { ...req, limit, ...(cursor ? { cursor } : {}) });
		sizes.push(r.items.length);
		items.push(...r.items);
		cursor = r.next_cursor;
	} while (cursor);
	return { ids: items.map((i) => i.id), sizes, items };
}

/** SHA-256 (hex) and length of what the page fetches at a URL, computed in the page. */
async function digestAt(page: Page, url: string): Promise<{ sha: string; bytes: number; head: string }> {
	return page.evaluate(async (u) => {
		const b = new Uint8Array(await (await fetch(u)).arrayBuffer());
		const hex = (x: Uint8Array) => Array.from(x, (v) => v.toString(16).padStart(2, '0')).join('');
		return { sha: hex(new Uint8Array(await crypto.subtle.digest('SHA-256', b))), bytes: b.length, head: hex(b.subarray(0, 16)) };
	}, url);
}

/** A response without the page-local blob: URLs, for comparing records across pages. */
const stable = (a: any) => {
	const { url: _u, thumbnail_url: _t, ...rest } = a;
	return rest;
};

test.beforeEach(async ({ page }) => {
	await openApp(page);
});

test('upload, get, list with next_cursor over 5 photos, delete → 404', async ({ page }) => {
	const up = await upload(page, [
		{ n: 1, folder: 'people/2024', tags: ['portrait', 'outdoor'] },
		{ n: 2, folder: 'people/2024' },
		{ n: 3, folder: 'people' },
		{ n: 4, tags: ['portrait'] },
		{ n: 5, name: '合影.jpg' }
	]);
	const a = up[0];
	const original = sample(1);
	expect(a).toMatchObject({ mime: 'image/jpeg', format: 'jpeg', bytes: original.length, key: 'people/2024/sample1.jpg', name: 'sample1.jpg', folder: 'people/2024', tags: ['portrait', 'outdoor'], etag: sha256(original) });
	expect(a.id).toMatch(ID);
	expect(up[4].key).toBe('合影.jpg');
	const meta = await call(page, 'image.metadata', { image: { base64: b64(original) } });
	expect([a.width, a.height]).toEqual([meta.width, meta.height]);
	// url gives the stored bytes back exactly; the thumbnail is a WebP of at most 256 px.
	expect((await digestAt(page, a.url)).sha).toBe(a.etag);
	expect(Math.max(a.thumbnail.width, a.thumbnail.height)).toBe(256);
	expect(a.thumbnail.mime).toBe('image/webp');
	const thumb = await digestAt(page, a.thumbnail_url);
	expect(thumb.head.slice(16, 24)).toBe('57454250'); // RIFF....WEBP
	expect(thumb.bytes).toBe(a.thumbnail.bytes);

	// get: by id (object or bare string) and by key give the same asset.
	expect(stable(await call(page, 'image.get', { id: a.id }))).toEqual(stable(a));
	expect((await call(page, 'image.get', a.id)).key).toBe(a.key);
	expect((await call(page, 'image.get', { key: '/people/2024/sample1.jpg' })).id).toBe(a.id);

	// list: pages of 2 → 2, 2, 1; newest first; every asset exactly once; ids stable.
	const all = await listAll(page);
	expect(all.sizes).toEqual([2, 2, 1]);
	expect(all.ids).toEqual(up.map((u) => u.id).reverse());
	const asc = await listAll(page, { order: 'asc' }, 3);
	expect(asc.ids).toEqual(up.map((u) => u.id));
	expect(all.items.map(stable)).toEqual(up.map(stable).reverse());
	// Filters: folder (direct or recursive), prefix, tag, search.
	expect((await listAll(page, { folder: 'people' })).ids).toEqual([up[2].id]);
	expect((await listAll(page, { folder: 'people', recursive: true, order: 'asc' })).ids).toEqual([up[0].id, up[1].id, up[2].id]);
	expect((await listAll(page, { folder: '' })).ids.sort()).toEqual([up[3].id, up[4].id].sort());
	expect((await listAll(page, { prefix: 'people/2024/' })).ids.length).toBe(2);
	expect((await listAll(page, { tag: 'portrait', order: 'asc' })).ids).toEqual([up[0].id, up[3].id]);
	expect((await listAll(page, { search: 'SAMPLE3' })).ids).toEqual([up[2].id]);
	expect((await listAll(page, { search: 'outdoor' })).ids).toEqual([up[0].id]);

	// A { id } ImageRef works in every transform.
	const r = await call(page, 'image.resize', { image: { id: a.id }, width: 100, format: 'png' });
	expect(r.width).toBe(100);
	expect(r.height).toBe(Math.round((100 * a.height) / a.width));

	// delete → 404 for get, delete and { id } refs; the rest stays.
	expect(await call(page, 'image.delete', { id: a.id })).toEqual({ ok: true, id: a.id });
	for (const [path, req] of [
		['image.get', { id: a.id }],
		['image.delete', { id: a.id }],
		['image.resize', { image: { id: a.id }, width: 10 }]
	] as const) {
		const e = await callError(page, path, req);
		expect(e, path).toMatchObject({ status: 404, code: 'not_found' });
		expect(e.message).toContain(a.id);
		expect(e.param).toMatch(/id$/);
	}
	expect((await listAll(page, {}, 10)).ids).toEqual(up.slice(1).map((u) => u.id).reverse());
	const u = await usage(page);
	expect(u).toMatchObject({ count: 4, files: 8 });
	expect(u.stored_bytes).toBe(u.bytes + u.thumbnail_bytes);
	expect(u.bytes).toBe([2, 3, 4, 5].reduce((n, i) => n + sample(i).length, 0));
	expect(u.quota).toBeGreaterThan(0);
});

test('bad input gets a clear error naming the parameter and stores nothing', async ({ page }) => {
	const [first] = await upload(page, [{ n: 1 }]);
	const before = await usage(page);
	const bad = await page.evaluate(async () => {
		const d = (window as any).darkroom;
		const attempt = async (req: unknown) => d.image.upload(req).then(() => null, (e: any) => ({ status: e.status, code: e.code, param: e.param, message: e.message }));
		return {
			empty: await attempt({ file: new File([], 'empty.jpg', { type: 'image/jpeg' }) }),
			text: await attempt({ file: new File(['hello, this is not an image at all'], 'notes.jpg', { type: 'image/jpeg' }) }),
			html: await attempt({ file: new File(['<!doctype html><html><body>hi</body></html>'], 'page.png') }),
			corrupt: await attempt({ file: new File([new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1])], 'cut.jpg') }),
			missing: await attempt({ filename: 'x.jpg' }),
			unknown: await attempt({ file: new Blob([]), fodler: 'x' })
		};
	});
	expect(bad.empty).toMatchObject({ status: 400, code: 'invalid_image' });
	expect(bad.empty.message).toMatch(/empty/i);
	expect(bad.text?.status).toBe(415);
	expect(bad.html?.status).toBe(415);
	expect(bad.corrupt?.status).toBe(400);
	expect(bad.missing).toMatchObject({ status: 400, param: 'file' });
	expect(bad.unknown).toMatchObject({ status: 400, param: 'fodler' });
	expect(bad.unknown.message).toContain('Unknown parameter fodler for image.upload');
	// Parameter errors, each naming its parameter.
	const S2 = { base64: b64(sample(2)) };
	for (const [path, req, param] of [
		['image.upload', { file: S2, key: 'a//b.jpg' }, 'key'],
		['image.upload', { file: S2, folder: 'x/../y' }, 'folder'],
		['image.upload', { file: S2, key: 'k.jpg', folder: 'f' }, 'key'],
		['image.upload', { file: S2, tags: ['ok', 7] }, 'tags[1]'],
		['image.upload', { file: S2, overwrite: 'yes' }, 'overwrite'],
		['image.list', { limit: 0 }, 'limit'],
		['image.list', { limit: 501 }, 'limit'],
		['image.list', { cursor: 'made-up' }, 'cursor'],
		['image.list', { order: 'random' }, 'order'],
		['image.get', { id: 'not-an-id' }, 'id'],
		['image.get', {}, 'id'],
		['image.resize', { image: { id: 'nope' }, width: 10 }, 'image.id'],
		['library.configure', { max_bytes: -1 }, 'max_bytes']
	] as const) {
		const e = await callError(page, path, req);
		expect(e, `${path} ${JSON.stringify(req)}`).toMatchObject({ status: 400, param });
		expect(e.message.length).toBeGreaterThan(15);
	}
	// The browser's own estimate moves with any storage activity; the library's numbers must not.
	const mine = ({ quota: _q, usage: _u, ...rest }: any) => rest;
	expect(mine(await usage(page))).toEqual(mine(before));
	expect((await call(page, 'image.list', {})).items.map((i: any) => i.id)).toEqual([first.id]);

	// Keys: an explicit key that exists is a 422 unless overwrite (which keeps id and created_at);
	// a name that repeats without a key gets a free one.
	const [k] = await upload(page, [{ n: 2, key: 'shots/one.jpg' }]);
	const dup = await callError(page, 'image.upload', { file: { base64: b64(sample(3)) }, key: 'shots/one.jpg' });
	expect(dup).toMatchObject({ status: 422, param: 'key' });
	expect(dup.message).toContain(k.id);
	const replaced = await call(page, 'image.upload', { file: { base64: b64(sample(3)) }, key: 'shots/one.jpg', overwrite: true });
	expect(replaced).toMatchObject({ id: k.id, created_at: k.created_at, etag: sha256(sample(3)), bytes: sample(3).length });
	expect((await digestAt(page, replaced.url)).sha).toBe(sha256(sample(3)));
	const [again] = await upload(page, [{ n: 4, name: 'sample1.jpg' }]);
	expect(again.key).toBe('sample1-2.jpg');
	const u = await usage(page);
	expect(u).toMatchObject({ count: 3, files: 6 }); // the replaced version's files are gone
	expect(u.stored_bytes).toBe(u.bytes + u.thumbnail_bytes);
});

test('a write that fails half way leaves no half-stored asset; quota exhaustion is a clear 413', async ({ page }) => {
	await upload(page, [{ n: 1 }]);
	const before = await usage(page);
	const size = sample(2).length;
	// Room for the original but not its thumbnail: the second of the two file writes fails.
	await call(page, 'library.configure', { max_bytes: before.stored_bytes + size + 10 });
	const e = await callError(page, 'image.upload', { file: { base64: b64(sample(2)) }, filename: 'two.jpg' });
	expect(e).toMatchObject({ status: 413, code: 'too_large', param: 'file' });
	expect(e.message).toMatch(new RegExp(`needs (\\d+) bytes but only ${size + 10} bytes are available under the library limit of ${before.stored_bytes + size + 10} bytes`));
	const needed = Number(/needs (\d+) bytes/.exec(e.message)![1]);
	expect(needed).toBeGreaterThan(size);
	const after = await usage(page);
	expect(after).toEqual({ ...before, usage: after.usage, quota: after.quota, max_bytes: before.stored_bytes + size + 10 });
	expect((await call(page, 'image.list', {})).items.length).toBe(1);
	expect(await callError(page, 'image.get', { key: 'two.jpg' })).toMatchObject({ status: 404 });
	// No room at all: the first write fails.
	await call(page, 'library.configure', { max_bytes: before.stored_bytes });
	expect((await callError(page, 'image.upload', { file: { base64: b64(sample(2)) } })).message).toMatch(/but only 0 bytes are available/);
	expect(await usage(page)).toMatchObject({ count: 1, files: before.files, stored_bytes: before.stored_bytes });
	// With the limit lifted the same upload works.
	await call(page, 'library.configure', { max_bytes: null });
	const ok = await call(page, 'image.upload', { file: { base64: b64(sample(2)) }, filename: 'two.jpg' });
	expect(ok.key).toBe('two.jpg');
	const whole = await usage(page);
	expect(whole).toMatchObject({ count: 2, files: before.files + 2 });

	// Files a tab left behind when it closed mid-write (no record points at them) are swept on the next start.
	await page.evaluate(async () => {
		const root = await (await navigator.storage.getDirectory()).getDirectoryHandle('darkroom-library');
		const dir = await root.getDirectoryHandle('0000000000000000000000000w', { create: true });
		const w = await (await dir.getFileHandle('o-orphan', { create: true })).createWritable();
		await w.write(new Uint8Array(1000));
		await w.close();
	});
	expect((await usage(page)).files).toBe(whole.files + 1);
	await page.reload();
	await openApp(page, '/');
	expect(await usage(page)).toMatchObject({ count: 2, files: whole.files, stored_bytes: whole.stored_bytes });
});

test('two uploads racing for one key: one wins whole, the loser is refused at the database commit and leaves no files', async ({ page }) => {
	const outcome: any[] = await page.evaluate(
		async ({ a, b }) => {
			const d = (window as any).darkroom;
			await d.library.usage(); // the start-up sweep has run
			// Hold the library's write lock (as a sweep in another tab would) so both uploads pass
			// their key check and queue for the write; released together, both write their files
			// and only the unique index on key, at commit, can refuse one.
			let release!: () => void;
			const held = new Promise<void>((r) => (release = r));
			let locked!: () => void;
			const isLocked = new Promise<void>((r) => (locked = r));
			navigator.locks.request('darkroom-library-write', { mode: 'exclusive' }, () => (locked(), held));
			await isLocked;
			const settle = (p: Promise<any>) => p.then((v) => ({ ok: true, id: v.id, etag: v.etag }), (e) => ({ ok: false, status: e.status, param: e.param, message: e.message }));
			const racing = Promise.all([settle(d.image.upload({ file: { base64: a }, key: 'race/one.jpg' })), settle(d.image.upload({ file: { base64: b }, key: 'race/one.jpg' }))]);
			while ((await navigator.locks.query()).pending!.filter((l) => l.name === 'darkroom-library-write').length < 2) await new Promise((r) => setTimeout(r, 10));
			release();
			return racing;
		},
		{ a: b64(sample(1)), b: b64(sample(2)) }
	);
	const won = outcome.filter((o) => o.ok);
	const lost = outcome.filter((o) => !o.ok);
	expect(won).toHaveLength(1);
	expect(lost).toEqual([{ ok: false, status: 422, param: 'key', message: 'The key "race/one.jpg" is already used by another asset' }]);
	const u = await usage(page);
	expect(u).toMatchObject({ count: 1, files: 2 });
	expect(u.stored_bytes).toBe(u.bytes + u.thumbnail_bytes);
	const got = await call(page, 'image.get', { key: 'race/one.jpg' });
	expect(got.id).toBe(won[0].id);
	expect((await digestAt(page, got.url)).sha).toBe(won[0].etag);
});

test('export, delete everything, import: originals and records come back byte for byte, and survive a reload', async ({ page }) => {
	const up = await upload(page, [
		{ n: 1, folder: 'people/2024', tags: ['portrait'] },
		{ n: 3, folder: 'people' },
		{ n: 6, name: '合影.jpg', tags: ['group', '合影'] }
	]);
	const records = await Promise.all(up.map((u) => call(page, 'image.get', { id: u.id })));
	const thumbs: Record<string, string> = {};
	for (const r of records) thumbs[r.id] = (await digestAt(page, r.thumbnail_url)).sha;
	const zipB64: string = await page.evaluate(async () => {
		const blob: Blob = await (window as any).darkroom.library.export();
		const bytes = new Uint8Array(await blob.arrayBuffer());
		let s = '';
		for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
		return `${blob.type}|${btoa(s)}`;
	});
	const [type, data] = zipB64.split('|');
	expect(type).toBe('application/zip');
	const zip = Buffer.from(data, 'base64');
	// The ZIP is an ordinary one: another implementation lists the originals under their keys.
	let python = true;
	try {
		execFileSync('python3', ['-c', 'import zipfile']);
	} catch {
		python = false;
	}
	if (python) {
		const file = join(mkdtempSync(join(tmpdir(), 'dr-lib-')), 'library.zip');
		writeFileSync(file, zip);
		const py = `import zipfile,hashlib,json,sys\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nm=json.loads(z.read('manifest.json'))\nprint(json.dumps({'names':sorted(z.namelist()),'sha':{a['id']:hashlib.sha256(z.read(a['path'])).hexdigest() for a in m['assets']}}))`;
		const listed = JSON.parse(execFileSync('python3', ['-c', py, file]).toString());
		expect(listed.names.filter((n: string) => n.startsWith('originals/'))).toEqual(['originals/people/2024/sample1.jpg', 'originals/people/sample3.jpg', 'originals/合影.jpg']);
		expect(listed.names).toContain('manifest.json');
		for (const r of records) expect(listed.sha[r.id]).toBe(r.etag);
	}

	// Delete everything: the library is empty, in IndexedDB and in OPFS.
	for (const r of records) await call(page, 'image.delete', r.id);
	expect(await usage(page)).toMatchObject({ count: 0, files: 0, stored_bytes: 0 });

	const importZip = (overwrite?: boolean) =>
		page.evaluate(
			async ({ data, overwrite }) => {
				const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
				const file = new File([bytes], 'library.zip', { type: 'application/zip' });
				return (window as any).darkroom.library.import(overwrite === undefined ? file : { file, overwrite });
			},
			{ data, overwrite }
		);
	const res = await importZip();
	expect(res).toEqual({ imported: records.map((r) => r.id), unchanged: [], conflicts: [] });
	const check = async () => {
		for (const r of records) {
			const got = await call(page, 'image.get', { id: r.id });
			expect(stable(got)).toEqual(stable(r));
			expect((await digestAt(page, got.url)).sha).toBe(r.etag);
			expect((await digestAt(page, got.thumbnail_url)).sha).toBe(thumbs[r.id]);
		}
		expect((await listAll(page, { order: 'asc' }, 10)).ids).toEqual(records.map((r) => r.id));
	};
	await check();
	const u = await usage(page);
	expect(u).toMatchObject({ count: 3, files: 6 });
	expect(u.bytes).toBe([1, 3, 6].reduce((n, i) => n + sample(i).length, 0));

	// Importing again changes nothing; a key now taken by another asset is a reported conflict.
	expect(await importZip()).toEqual({ imported: [], unchanged: records.map((r) => r.id), conflicts: [] });
	await call(page, 'image.delete', records[1].id);
	const [other] = await upload(page, [{ n: 2, key: records[1].key }]);
	const third = await importZip();
	expect(third.imported).toEqual([]);
	expect(third.conflicts).toEqual([{ id: records[1].id, key: records[1].key, reason: 'key_taken', message: expect.stringContaining(other.id) }]);
	await call(page, 'image.delete', other.id);
	expect((await importZip()).imported).toEqual([records[1].id]);

	// Everything is still there after a reload (a new page: new API instance, new blob URLs).
	await page.reload();
	await openApp(page, '/');
	await check();

	// Not an export: a clear 400.
	const e = await page.evaluate(() =>
		(window as any).darkroom.library.import(new Blob(['PK not really'])).then(
			() => null,
			(e: any) => ({ status: e.status, param: e.param, message: e.message })
		)
	);
	expect(e).toMatchObject({ status: 400, param: 'file' });
	expect(e.message).toMatch(/ZIP made by library\.export/);
});

test('the library ids work across the API: watermark image and process by { id }', async ({ page }) => {
	const [photo, logo] = await upload(page, [{ n: 1 }, { n: 2 }]);
	const r = await call(page, 'image.process', { image: { id: photo.id }, ops: [{ op: 'resize', params: { width: 300 } }, { op: 'watermark', params: { watermark_image: { id: logo.id }, position: 'bottom-right', size: 0.3 } }], format: 'jpeg' });
	expect(r.width).toBe(300);
});

test.describe('the library page', () => {
	const cards = (page: Page) => page.getByTestId('library-card');

	test('upload by picker, thumbnails, folders, search, select many (click, shift-click, all), delete, export and import', async ({ page }) => {
		await openApp(page, '/library');
		await expect(page.getByTestId('library-empty')).toBeVisible();
		await page.getByTestId('library-picker').setInputFiles([1, 2, 3].map((n) => `${SAMPLES}/sample${n}.jpg`));
		await expect(cards(page)).toHaveCount(3, { timeout: 60_000 });
		await expect(page.getByTestId('library-message')).toHaveText('Images added: 3.');
		// Thumbnails are real decoded images of at most 256 px; newest first.
		const thumbs = await page.getByTestId('library-thumb').evaluateAll((imgs) =>
			Promise.all((imgs as HTMLImageElement[]).map(async (i) => (await i.decode(), [i.naturalWidth, i.naturalHeight])))
		);
		expect(thumbs).toHaveLength(3);
		for (const [w, h] of thumbs) expect(Math.max(w, h)).toBe(256);
		await expect(page.getByTestId('library-name')).toHaveText(['sample3.jpg', 'sample2.jpg', 'sample1.jpg']);
		await expect(page.getByTestId('library-usage')).toContainText('Images: 3');

		// A file that is not an image: a clear error with its name, nothing added.
		await page.getByTestId('library-picker').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') });
		await expect(page.getByTestId('library-error')).toContainText('notes.txt');
		await expect(page.getByTestId('library-error')).toContainText('415');
		await expect(cards(page)).toHaveCount(3);

		// Folders come from the keys; the tree and breadcrumb filter the grid.
		await upload(page, [{ n: 4, folder: 'trips/sea', tags: ['beach'] }]);
		await page.reload();
		await expect(cards(page)).toHaveCount(4);
		await expect(page.getByTestId('library-folder')).toHaveText([/trips\s*1/, /sea\s*1/]);
		await page.locator('[data-testid=library-folder][data-path="trips/sea"]').click();
		await expect(cards(page)).toHaveCount(1);
		await expect(page.getByTestId('library-breadcrumb')).toHaveText(/All images\s*\/\s*trips\s*\/\s*sea/);
		await expect(page.getByTestId('library-upload')).toHaveText('Add images to trips/sea');
		await page.getByTestId('library-folder-all').click();
		await expect(cards(page)).toHaveCount(4);

		// Search by name, folder or tag.
		await page.getByTestId('library-search').fill('sample2');
		await expect(page.getByTestId('library-name')).toHaveText(['sample2.jpg']);
		await page.getByTestId('library-search').fill('beach');
		await expect(page.getByTestId('library-name')).toHaveText(['sample4.jpg']);
		await page.getByTestId('library-search').fill('nothing like this');
		await expect(page.getByTestId('library-no-match')).toBeVisible();
		await page.getByTestId('library-search').fill('');
		await expect(cards(page)).toHaveCount(4);

		// Select: click, shift-click a range, select all, and none.
		const thumbAt = (i: number) => cards(page).nth(i).locator('[role=checkbox]');
		await thumbAt(0).click();
		await thumbAt(2).click({ modifiers: ['Shift'] });
		await expect(page.getByTestId('library-selected-count')).toHaveText('3 of 4 selected');
		await expect(thumbAt(1)).toHaveAttribute('aria-checked', 'true');
		await page.getByTestId('library-select-all').check();
		await expect(page.getByTestId('library-selected-count')).toHaveText('4 of 4 selected');
		await page.getByTestId('library-select-all').uncheck();
		await expect(page.getByTestId('library-selected-count')).toHaveText('0 of 4 selected');
		await thumbAt(1).click();
		await thumbAt(3).press('Shift+Space');
		await expect(page.getByTestId('library-selected-count')).toHaveText('3 of 4 selected');
		const doomed = await cards(page).evaluateAll((els) => els.slice(1).map((e) => (e as HTMLElement).dataset.id!));

		// Download the selection as a ZIP: an ordinary ZIP of those originals.
		const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('library-export-selected').click()]);
		expect(download.suggestedFilename()).toMatch(/^darkroom-selection-\d{4}-\d\d-\d\d\.zip$/);
		const zipPath = await download.path();

		// Delete selected, after a confirmation.
		await page.getByTestId('library-delete-selected').click();
		await page.getByTestId('library-delete-confirm').click();
		await expect(cards(page)).toHaveCount(1);
		await expect(page.getByTestId('library-message')).toHaveText('Images deleted: 3.');
		for (const id of doomed) expect((await callError(page, 'image.get', { id })).status).toBe(404);
		await expect(page.getByTestId('library-usage')).toContainText('Images: 1');

		// Import the ZIP: the three come back with their ids.
		await page.getByTestId('library-import-picker').setInputFiles(zipPath);
		await expect(page.getByTestId('library-message')).toHaveText('Imported 3 · already there 0 · conflicts 0.');
		await expect(cards(page)).toHaveCount(4);
		expect((await cards(page).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id!))).slice(1).sort()).toEqual([...doomed].sort());
	});
});
