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
	/** Abort when no byte arrives for this long (ms). Default: setStallTimeout()'s value, else 30 s. */
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
	const stallMs = o.stallMs ?? (await stallTimeout());
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
		bytes = await fetchBytes(url, 'the model manifest', undefined, { ...o, onProgress: undefined, stallMs: o.stallMs ?? Math.min(15_000, await stallTimeout()) });
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
		const headers = { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) };
		await cache.put(url, new Response(bytes as Uint8Array<ArrayBuffer>, { headers })).catch(() => {});
	}
	return bytes;
}

/** Test hook: forget the memoised manifests. */
export function resetLoaderState(): void {
	manifests.clear();
	inflight.clear();
	oldCachesSwept = false;
	localStallMs = undefined;
}

// ---------------------------------------------------------------------------------------
// Stall timeout, shared by the page and its workers. Workers cannot see the page's
// variables, but they share its Cache Storage: the setting is kept there as a tiny JSON.

export const DEFAULT_STALL_MS = 30_000;
const SETTINGS_CACHE = 'darkroom-settings';
const SETTINGS_KEY = '/__darkroom/model-loader.json';
let localStallMs: number | undefined;

/** Throws unless `v` is a whole number of milliseconds from 100 to 600000. */
export function validateStallMs(v: unknown, param = 'stallMs'): number {
	if (typeof v !== 'number' || !Number.isInteger(v) || v < 100 || v > 600_000) {
		throw new DarkroomError('invalid_parameter', `Expected integer from 100 to 600000 (milliseconds) for ${param} but received ${String(v)} of type ${typeof v}`, param);
	}
	return v;
}

/**
 * Sets how long a model download may go without receiving a byte before it fails, in
 * this context and (through Cache Storage) in the workers of this origin. Kept in this
 * browser until changed; DEFAULT_STALL_MS restores the default.
 */
export async function setStallTimeout(ms: number): Promise<void> {
	localStallMs = validateStallMs(ms);
	const cs = cacheStorage();
	if (!cs) return;
	try {
		const cache = await cs.open(SETTINGS_CACHE);
		if (ms === DEFAULT_STALL_MS) await cache.delete(SETTINGS_KEY);
		else await cache.put(SETTINGS_KEY, new Response(JSON.stringify({ stallMs: ms }), { headers: { 'content-type': 'application/json' } }));
	} catch {
		/* storage disabled: the setting holds for this context only */
	}
}

/** The stall timeout in force: this context's setting, else the shared one, else 30 s. */
export async function stallTimeout(): Promise<number> {
	if (localStallMs !== undefined) return localStallMs;
	const cs = cacheStorage();
	if (!cs) return DEFAULT_STALL_MS;
	try {
		const hit = await (await cs.open(SETTINGS_CACHE)).match(SETTINGS_KEY);
		const v = hit ? ((await hit.json()) as { stallMs?: unknown }).stallMs : undefined;
		return typeof v === 'number' && Number.isInteger(v) && v >= 100 && v <= 600_000 ? v : DEFAULT_STALL_MS;
	} catch {
		return DEFAULT_STALL_MS;
	}
}

// ---------------------------------------------------------------------------------------
// What is cached, downloading ahead of need, deleting. Cache Storage is shared by the page
// and its workers, so a model downloaded here is found by a worker's loadModel() later.

/** A manifest entry with its cache state. */
export interface ModelStatus {
	id: string;
	kind: ModelEntry['kind'];
	file: string;
	bytes: number;
	sha256: string;
	licence: string;
	source: { package: string; path: string };
	/** True when Cache Storage holds this exact version (same hash in the key, same size). */
	cached: boolean;
	/** Bytes held in Cache Storage for this version (0 when not cached). */
	cachedBytes: number;
	/** Only with `verify`: whether the cached bytes hash to the manifest's SHA-256. */
	verified?: boolean;
}

/** Total progress of a multi-file download. `loaded`/`total` count only the files being fetched. */
export interface DownloadProgress {
	loaded: number;
	total: number;
	/** The file being fetched now. */
	id: string;
	file: string;
	/** 1-based position of that file among the `count` being fetched. */
	index: number;
	count: number;
	fileLoaded: number;
	fileTotal: number;
}

export interface DownloadOptions extends Omit<LoadOptions, 'onProgress'> {
	onProgress?: (p: DownloadProgress) => void;
	/** Hash cached files too (slower); a cached file that fails is fetched again. */
	verify?: boolean;
}

/**
 * The entries named by `ids` (all when undefined), in manifest order, without duplicates.
 * An id the manifest does not have is a 404 naming the known ones.
 */
export function selectEntries(manifest: ModelManifest, ids?: unknown, param = 'ids'): ModelEntry[] {
	if (ids === undefined || ids === null) return [...manifest];
	const list = typeof ids === 'string' ? [ids] : ids;
	if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) {
		throw new DarkroomError('invalid_parameter', `Expected array of model ids for ${param} but received ${JSON.stringify(ids)?.slice(0, 80)} of type ${typeof ids}`, param);
	}
	const want = new Set(list as string[]);
	for (const id of want) {
		if (!manifest.some((m) => m.id === id)) {
			throw new DarkroomError('not_found', `Model "${id}" is not in the model manifest (known: ${manifest.map((m) => m.id).join(', ')})`, param);
		}
	}
	return manifest.filter((m) => want.has(m.id));
}

/** Statuses from the sizes held in the cache, keyed by full cache URL (modelUrl()). */
export function statusesFrom(entries: readonly ModelEntry[], cachedSizes: ReadonlyMap<string, number>, baseUrl = defaultModelBase()): ModelStatus[] {
	return entries.map((e) => {
		const size = cachedSizes.get(modelUrl(e, baseUrl));
		const cached = size === e.bytes;
		return {
			id: e.id,
			kind: e.kind ?? 'model',
			file: e.file,
			bytes: e.bytes,
			sha256: e.sha256,
			licence: e.licence,
			source: { package: e.source?.package ?? '', path: e.source?.path ?? '' },
			cached,
			cachedBytes: cached ? e.bytes : 0
		};
	});
}

/** Which entries must be fetched (not cached), and their total size. */
export function planDownload(entries: readonly ModelEntry[], statuses: readonly ModelStatus[]): { todo: ModelEntry[]; total: number } {
	const cached = new Set(statuses.filter((s) => s.cached).map((s) => s.id));
	const todo = entries.filter((e) => !cached.has(e.id));
	return { todo, total: todo.reduce((n, e) => n + e.bytes, 0) };
}

/**
 * Turns per-file progress into total progress: `forFile(i)` is the Progress callback of
 * the i-th file of `todo`. Files before i count as complete; a file's own total is the
 * manifest size (a server's Content-Length may differ).
 */
export function progressTracker(todo: readonly ModelEntry[], onProgress: (p: DownloadProgress) => void): (index: number) => Progress {
	const total = todo.reduce((n, e) => n + e.bytes, 0);
	return (index) => {
		const entry = todo[index];
		const before = todo.slice(0, index).reduce((n, e) => n + e.bytes, 0);
		return (loaded) => {
			const fileLoaded = Math.min(loaded, entry.bytes);
			onProgress({ loaded: before + fileLoaded, total, id: entry.id, file: entry.file, index: index + 1, count: todo.length, fileLoaded, fileTotal: entry.bytes });
		};
	};
}

/** Full cache URL → size of every model file in Cache Storage (sizes from the stored bodies). */
async function cachedSizes(cache: Cache | undefined): Promise<Map<string, number>> {
	const out = new Map<string, number>();
	if (!cache) return out;
	for (const req of await cache.keys().catch(() => [] as readonly Request[])) {
		const hit = await cache.match(req).catch(() => undefined);
		if (!hit) continue;
		const len = Number(hit.headers.get('content-length'));
		out.set(req.url, Number.isFinite(len) && len > 0 ? len : (await hit.blob()).size);
	}
	return out;
}

/** Every manifest entry (or those of `ids`) with whether it is cached for offline use. */
export async function listModels(ids?: unknown, o: Pick<LoadOptions, 'baseUrl' | 'signal' | 'stallMs'> & { verify?: boolean } = {}): Promise<ModelStatus[]> {
	const entries = selectEntries(await fetchManifest(o), ids);
	const cache = await openCache();
	const statuses = statusesFrom(entries, await cachedSizes(cache), o.baseUrl);
	if (o.verify && cache) {
		for (const s of statuses) {
			if (!s.cached) continue;
			const hit = await cache.match(modelUrl(entries.find((e) => e.id === s.id)!, o.baseUrl));
			s.verified = !!hit && (await sha256Hex(new Uint8Array(await hit.arrayBuffer()))) === s.sha256;
		}
	}
	return statuses;
}

/**
 * Downloads the models of `ids` (all when undefined) that are not cached yet, one after
 * another, verifying each against the manifest and keeping it in Cache Storage. Progress
 * counts the bytes of the files being fetched. Rejects on the first failure, naming the
 * model; files finished before it stay cached. Resolves to the statuses of `ids`.
 */
export async function downloadModels(ids?: unknown, o: DownloadOptions = {}): Promise<ModelStatus[]> {
	const entries = selectEntries(await fetchManifest({ baseUrl: o.baseUrl, signal: o.signal, stallMs: o.stallMs }), ids);
	let statuses = await listModels(ids, { baseUrl: o.baseUrl, verify: o.verify });
	if (o.verify) {
		// A cached file that fails its hash is dropped, so it is fetched again.
		const cache = await openCache();
		for (const s of statuses) if (s.cached && s.verified === false) await cache?.delete(modelUrl(entries.find((e) => e.id === s.id)!, o.baseUrl));
		statuses = statuses.map((s) => (s.verified === false ? { ...s, cached: false, cachedBytes: 0 } : s));
	}
	const { todo } = planDownload(entries, statuses);
	const track = progressTracker(todo, (p) => o.onProgress?.(p));
	for (let i = 0; i < todo.length; i++) {
		track(i)(0, todo[i].bytes); // shown at once, before the server answers
		await loadEntry(todo[i], { ...o, onProgress: track(i) });
	}
	return todo.length ? listModels(ids, { baseUrl: o.baseUrl }) : statuses;
}

/**
 * Removes the models of `ids` from Cache Storage (every version of their files). Without
 * `ids`, removes every model and runtime file, including versions no longer in the
 * manifest; the cached manifest itself stays. Resolves to the ids whose files were removed.
 */
export async function deleteModels(ids?: unknown, o: Pick<LoadOptions, 'baseUrl'> = {}): Promise<string[]> {
	const base = o.baseUrl ?? defaultModelBase();
	const manifest = await fetchManifest(o);
	const entries = selectEntries(manifest, ids);
	const cache = await openCache();
	if (!cache) return [];
	const strip = (u: string) => u.split('?')[0];
	const byPath = new Map(manifest.map((e) => [strip(new URL(e.file, base).href), e.id]));
	const targets = new Set(entries.map((e) => strip(new URL(e.file, base).href)));
	const manifestUrl = new URL('manifest.json', base).href;
	const removed = new Set<string>();
	for (const req of await cache.keys()) {
		const path = strip(req.url);
		const all = ids === undefined || ids === null;
		if (targets.has(path) || (all && path !== manifestUrl && path.startsWith(base))) {
			if (await cache.delete(req)) removed.add(byPath.get(path) ?? path.slice(base.length));
		}
	}
	return [...removed];
}
