import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	deleteModels,
	downloadModels,
	listModels,
	loadModel,
	MODEL_CACHE,
	modelUrl,
	planDownload,
	progressTracker,
	resetLoaderState,
	selectEntries,
	setStallTimeout,
	stallTimeout,
	statusesFrom,
	validateStallMs,
	DEFAULT_STALL_MS,
	type DownloadProgress
} from '../../src/lib/models/loader';
import type { ModelEntry } from '../../src/lib/models/manifest';

const BASE = 'https://app.test/models/';
const bytesOf = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function entry(id: string, data: Uint8Array, kind: 'model' | 'runtime' = 'model'): ModelEntry {
	return { id, kind, file: `${id}.onnx`, bytes: data.length, sha256: sha(data), licence: 'MIT', source: { package: `pkg-${id}@1.0.0`, path: 'x' }, preprocessing: '' };
}

const A = bytesOf(3000, 1);
const B = bytesOf(5000, 2);
const R = bytesOf(1000, 3);
const MANIFEST = [entry('a', A), entry('b', B), entry('rt', R, 'runtime')];

/** A Map-backed Cache Storage, enough for the loader. */
class FakeCache {
	store = new Map<string, { body: Uint8Array; headers: Headers }>();
	private key(r: RequestInfo | URL) {
		return new URL(typeof r === 'string' ? r : r instanceof URL ? r.href : r.url, BASE).href;
	}
	async match(r: RequestInfo | URL) {
		const hit = this.store.get(this.key(r));
		return hit ? new Response(hit.body.slice() as Uint8Array<ArrayBuffer>, { headers: hit.headers }) : undefined;
	}
	async put(r: RequestInfo | URL, res: Response) {
		this.store.set(this.key(r), { body: new Uint8Array(await res.arrayBuffer()), headers: new Headers(res.headers) });
	}
	async delete(r: RequestInfo | URL) {
		return this.store.delete(this.key(r));
	}
	async keys() {
		return [...this.store.keys()].map((u) => new Request(u));
	}
}
class FakeCacheStorage {
	caches = new Map<string, FakeCache>();
	async open(name: string) {
		if (!this.caches.has(name)) this.caches.set(name, new FakeCache());
		return this.caches.get(name)!;
	}
	async keys() {
		return [...this.caches.keys()];
	}
	async delete(name: string) {
		return this.caches.delete(name);
	}
}

let files: Record<string, Uint8Array | number | 'hang'>;
let fetched: string[];
let cs: FakeCacheStorage;

beforeEach(() => {
	resetLoaderState();
	cs = new FakeCacheStorage();
	files = { 'manifest.json': new TextEncoder().encode(JSON.stringify(MANIFEST)), 'a.onnx': A, 'b.onnx': B, 'rt.onnx': R };
	fetched = [];
	vi.stubGlobal('caches', cs);
	vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
		const name = new URL(url).pathname.replace('/models/', '');
		fetched.push(name);
		const f = files[name];
		if (f === 'hang')
			return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
		if (f === undefined || typeof f === 'number') return new Response('missing', { status: typeof f === 'number' ? f : 404 });
		return new Response(f.slice() as Uint8Array<ArrayBuffer>);
	});
});
afterEach(() => {
	vi.unstubAllGlobals();
});

describe('model loader: pure parts', () => {
	it('selects entries by id in manifest order, all by default, and names unknown ids', () => {
		expect(selectEntries(MANIFEST).map((e) => e.id)).toEqual(['a', 'b', 'rt']);
		expect(selectEntries(MANIFEST, ['rt', 'a', 'a']).map((e) => e.id)).toEqual(['a', 'rt']);
		expect(selectEntries(MANIFEST, 'b').map((e) => e.id)).toEqual(['b']);
		expect(() => selectEntries(MANIFEST, ['nope'])).toThrow(/Model "nope" is not in the model manifest \(known: a, b, rt\)/);
		expect(() => selectEntries(MANIFEST, [1])).toThrow(/Expected array of model ids for ids/);
	});

	it('derives cache status from the exact versioned URL and size', () => {
		const sizes = new Map([
			[modelUrl(MANIFEST[0], BASE), A.length],
			[modelUrl(MANIFEST[1], BASE).replace(/sha256=\w+/, 'sha256=old'), B.length], // an older version
			[modelUrl(MANIFEST[2], BASE), 10] // truncated
		]);
		const s = statusesFrom(MANIFEST, sizes, BASE);
		expect(s.map((x) => [x.id, x.cached, x.cachedBytes])).toEqual([
			['a', true, 3000],
			['b', false, 0],
			['rt', false, 0]
		]);
		expect(s[2]).toMatchObject({ kind: 'runtime', licence: 'MIT', source: { package: 'pkg-rt@1.0.0' } });
		const plan = planDownload(MANIFEST, s);
		expect(plan.todo.map((e) => e.id)).toEqual(['b', 'rt']);
		expect(plan.total).toBe(6000);
	});

	it('adds per-file progress into total progress', () => {
		const seen: DownloadProgress[] = [];
		const track = progressTracker(MANIFEST.slice(0, 2), (p) => seen.push(p));
		track(0)(1500, 3000);
		track(0)(3000, 3000);
		track(1)(0, 5000);
		track(1)(9999, 9999); // a server saying more than the manifest is capped at the manifest size
		expect(seen.map((p) => [p.loaded, p.total, p.id, p.index, p.count])).toEqual([
			[1500, 8000, 'a', 1, 2],
			[3000, 8000, 'a', 1, 2],
			[3000, 8000, 'b', 2, 2],
			[8000, 8000, 'b', 2, 2]
		]);
	});

	it('validates the stall timeout', () => {
		expect(validateStallMs(2000)).toBe(2000);
		expect(() => validateStallMs(0)).toThrow('Expected integer from 100 to 600000 (milliseconds) for stallMs but received 0 of type number');
		expect(() => validateStallMs('5')).toThrow(/received 5 of type string/);
	});
});

describe('model loader: Cache Storage', () => {
	const opts = { baseUrl: BASE };

	it('lists, downloads missing files with total progress, and skips cached ones', async () => {
		expect((await listModels(undefined, opts)).map((s) => s.cached)).toEqual([false, false, false]);
		await loadModel('a', opts);
		expect((await listModels(undefined, opts)).map((s) => s.cached)).toEqual([true, false, false]);
		fetched = [];
		const seen: DownloadProgress[] = [];
		const after = await downloadModels(undefined, { ...opts, onProgress: (p) => seen.push(p) });
		expect(after.every((s) => s.cached)).toBe(true);
		expect(fetched).toEqual(['b.onnx', 'rt.onnx']); // 'a' was cached
		expect(seen.at(-1)).toMatchObject({ loaded: 6000, total: 6000, id: 'rt', index: 2, count: 2 });
		expect(seen.every((p, i) => i === 0 || p.loaded >= seen[i - 1].loaded)).toBe(true);
		fetched = [];
		await downloadModels(['a', 'b'], opts);
		expect(fetched).toEqual([]);
	});

	it('verify re-fetches a cached file whose bytes were altered', async () => {
		await downloadModels(['a'], opts);
		const cache = cs.caches.get(MODEL_CACHE)!;
		const key = modelUrl(MANIFEST[0], BASE);
		cache.store.get(key)!.body[10] ^= 0xff;
		expect((await listModels(['a'], { ...opts, verify: true }))[0]).toMatchObject({ cached: true, verified: false });
		fetched = [];
		const [s] = await downloadModels(['a'], { ...opts, verify: true });
		expect(fetched).toEqual(['a.onnx']);
		expect(s.cached).toBe(true);
		expect((await listModels(['a'], { ...opts, verify: true }))[0].verified).toBe(true);
	});

	it('deletes one model, then all files but the manifest', async () => {
		await downloadModels(undefined, opts);
		expect(await deleteModels(['b'], opts)).toEqual(['b']);
		expect((await listModels(undefined, opts)).map((s) => s.cached)).toEqual([true, false, true]);
		const deleted = await deleteModels(undefined, opts);
		expect(deleted.sort()).toEqual(['a', 'rt']);
		const keys = [...cs.caches.get(MODEL_CACHE)!.store.keys()];
		expect(keys).toEqual([BASE + 'manifest.json']);
	});

	it('a hash mismatch, a 404 and a stall are errors naming the model', async () => {
		files['b.onnx'] = B.map((x, i) => (i === 7 ? x ^ 1 : x));
		await expect(downloadModels(['b'], opts)).rejects.toThrow(/model "b" \(b\.onnx\) failed verification: SHA-256 [0-9a-f]{64}, the manifest says [0-9a-f]{64}/);
		files['b.onnx'] = 404;
		await expect(downloadModels(['b'], opts)).rejects.toThrow(/Could not download model "b" \(b\.onnx\) from .*b\.onnx\?sha256=\w+: HTTP 404/);
		files['b.onnx'] = 'hang';
		const t0 = Date.now();
		await expect(downloadModels(['b'], { ...opts, stallMs: 200 })).rejects.toThrow(/Download of model "b" \(b\.onnx\) from .* stalled: no data for 0 s/);
		expect(Date.now() - t0).toBeLessThan(2000);
		expect((await listModels(['b'], opts))[0].cached).toBe(false); // nothing bad was kept
	});

	it('the stall timeout set here is seen by other contexts through Cache Storage', async () => {
		expect(await stallTimeout()).toBe(DEFAULT_STALL_MS);
		await setStallTimeout(1500);
		resetLoaderState(); // as a worker would start: no local setting
		expect(await stallTimeout()).toBe(1500);
		await setStallTimeout(DEFAULT_STALL_MS);
		resetLoaderState();
		expect(await stallTimeout()).toBe(DEFAULT_STALL_MS);
	});
});
