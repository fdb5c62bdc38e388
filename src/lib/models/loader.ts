/**
 * Loads model files from the app's own origin, on first need: byte progress, SHA-256
 * verification against the manifest, and Cache Storage so they work offline afterwards.
 * The service worker does not precache /models/; this loader is their only cache.
 * Every failure is a DarkroomError('internal') naming the model; a stalled download is
 * aborted after `stallMs` without a byte, so nothing hangs.
 */
import { DarkroomError } from '../api/errors';
import { defaultModelBase, findModel, validateManifest, type ModelEntry, type ModelManifest } from './manifest';
import { concatBytes } from '../codecs/bytes';

/** Bump when the cache layout changes; older caches are deleted on first use. */
export const MODEL_CACHE = 'darkroom-models-v1';
const MODEL_CACHE_PREFIX = 'darkroom-models-';

export type Progress = (loaded: number, total: number) => void;

export interface LoadOptions {
	/** Base URL of the models folder; defaults to /models/ on the current origin. */
	baseUrl?: string;
	onProgress?: Progress;
	signal?: AbortSignal;
	/** Abort when no byte arrives for this long (ms). Default 30 s. */
	stallMs?: number;
}

const hex = (buf: ArrayBuffer) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
	return hex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

function cacheStorage(): CacheStorage | undefined {
	return (globalThis as { caches?: CacheStorage }).caches;
}

let oldCachesSwept = false;
async function openCache(): Promise<Cache | undefined> {
	const cs = cacheStorage();
	if (!cs) return undefined;
	try {
		if (!oldCachesSwept) {
			oldCachesSwept = true;
			for (const name of await cs.keys()) if (name.startsWith(MODEL_CACHE_PREFIX) && name !== MODEL_CACHE) await cs.delete(name);
		}
		return await cs.open(MODEL_CACHE);
	} catch {
		return undefined; // e.g. opaque origins or storage disabled: work without a cache
	}
}

/**
 * fetch() with an abort when nothing arrives for `stallMs`, reading the body with
 * progress. Returns the bytes, or throws a DarkroomError naming `what`.
 */
async function fetchBytes(url: string, what: string, expectBytes: number | undefined, o: LoadOptions): Promise<Uint8Array> {
	const stallMs = o.stallMs ?? 30_000;
	const ctl = new AbortController();
	const onAbort = () => ctl.abort(o.signal?.reason);
	if (o.signal?.aborted) onAbort();
	o.signal?.addEventListener('abort', onAbort, { once: true });
	let timer: ReturnType<typeof setTimeout> | undefined;
	let stalled = false;
	const arm = () => {
		clearTimeout(timer);
		timer = setTimeout(() => {
			stalled = true;
			ctl.abort();
		}, stallMs);
	};
	try {
		arm();
		const res = await fetch(url, { signal: ctl.signal, cache: 'no-cache' });
		if (!res.ok) throw new DarkroomError('internal', `Could not download ${what} from ${url}: HTTP ${res.status}`);
		const total = expectBytes ?? Number(res.headers.get('content-length') ?? 0);
		const chunks: Uint8Array[] = [];
		let loaded = 0;
		o.onProgress?.(0, total);
		if (res.body) {
			const reader = res.body.getReader();
			for (;;) {
				arm();
				const { done, value } = await reader.read();
				if (done) break;
				chunks.push(value);
				loaded += value.length;
				o.onProgress?.(loaded, Math.max(total, loaded));
			}
		} else {
			const b = new Uint8Array(await res.arrayBuffer());
			chunks.push(b);
			loaded = b.length;
			o.onProgress?.(loaded, Math.max(total, loaded));
		}
		return concatBytes(chunks);
	} catch (e) {
		if (DarkroomError.is(e)) throw e;
		if (stalled) throw new DarkroomError('internal', `Download of ${what} from ${url} stalled: no data for ${Math.round(stallMs / 1000)} s`);
		if (o.signal?.aborted) throw new DarkroomError('internal', `Download of ${what} was cancelled`);
		throw new DarkroomError('internal', `Could not download ${what} from ${url}: ${(e as Error).message}`);
	} finally {
		clearTimeout(timer);
		o.signal?.removeEventListener('abort', onAbort);
	}
}

const manifests = new Map<string, Promise<ModelManifest>>();

/**
 * The manifest, fetched once per base URL: from the network when reachable (so a new
 * build's models are seen), else the copy kept in Cache Storage.
 */
export function fetchManifest(o: LoadOptions = {}): Promise<ModelManifest> {
	const base = o.baseUrl ?? defaultModelBase();
	let p = manifests.get(base);
	if (!p) {
		p = loadManifest(base, o);
		manifests.set(base, p);
		p.catch(() => manifests.delete(base));
	}
	return p;
}

async function loadManifest(base: string, o: LoadOptions): Promise<ModelManifest> {
	const url = new URL('manifest.json', base).href;
	const cache = await openCache();
	let bytes: Uint8Array;
	try {
		bytes = await fetchBytes(url, 'the model manifest', undefined, { ...o, onProgress: undefined, stallMs: o.stallMs ?? 15_000 });
		await cache?.put(url, new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/json' } })).catch(() => {});
	} catch (e) {
		const hit = await cache?.match(url);
		if (!hit) throw e;
		bytes = new Uint8Array(await hit.arrayBuffer());
	}
	let json: unknown;
	try {
		json = JSON.parse(new TextDecoder().decode(bytes));
	} catch {
		throw new DarkroomError('internal', `The model manifest at ${url} is not valid JSON`);
	}
	return validateManifest(json);
}

/** The cache key of an entry: its URL with the expected hash, so a new build never reads a stale file. */
export function modelUrl(entry: ModelEntry, baseUrl = defaultModelBase()): string {
	return `${new URL(entry.file, baseUrl).href}?sha256=${entry.sha256}`;
}

const inflight = new Map<string, Promise<Uint8Array>>();

/**
 * The bytes of model `id` (see static/models/manifest.json), verified against the
 * manifest's SHA-256: from Cache Storage when present, else downloaded with progress
 * and cached. Concurrent calls for the same model share one download.
 */
export async function loadModel(id: string, o: LoadOptions = {}): Promise<Uint8Array> {
	const entry = findModel(await fetchManifest(o), id);
	return loadEntry(entry, o);
}

export function loadEntry(entry: ModelEntry, o: LoadOptions = {}): Promise<Uint8Array> {
	const url = modelUrl(entry, o.baseUrl);
	let p = inflight.get(url);
	if (!p) {
		p = loadEntryUncached(entry, url, o).finally(() => inflight.delete(url));
		inflight.set(url, p);
	}
	return p;
}

async function loadEntryUncached(entry: ModelEntry, url: string, o: LoadOptions): Promise<Uint8Array> {
	const what = `model "${entry.id}" (${entry.file})`;
	const cache = await openCache();
	const hit = await cache?.match(url).catch(() => undefined);
	if (hit) {
		const bytes = new Uint8Array(await hit.arrayBuffer());
		if (bytes.length === entry.bytes && (await sha256Hex(bytes)) === entry.sha256) {
			o.onProgress?.(bytes.length, bytes.length);
			return bytes;
		}
		await cache!.delete(url); // corrupt cache entry: fetch again
	}
	const bytes = await fetchBytes(url, what, entry.bytes, o);
	if (bytes.length !== entry.bytes) {
		throw new DarkroomError('internal', `Downloaded ${what} has ${bytes.length} bytes, the manifest says ${entry.bytes}: the file on the server is missing or corrupt`);
	}
	const sha = await sha256Hex(bytes);
	if (sha !== entry.sha256) {
		throw new DarkroomError('internal', `Downloaded ${what} failed verification: SHA-256 ${sha}, the manifest says ${entry.sha256}`);
	}
	if (cache) {
		// Drop older versions of the same file, then keep this one for offline use.
		for (const req of await cache.keys().catch(() => [] as readonly Request[])) {
			if (req.url.split('?')[0] === url.split('?')[0] && req.url !== url) await cache.delete(req).catch(() => false);
		}
		await cache.put(url, new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/octet-stream' } })).catch(() => {});
	}
	return bytes;
}

/** Test hook: forget the memoised manifests. */
export function resetLoaderState(): void {
	manifests.clear();
	inflight.clear();
	oldCachesSwept = false;
}
