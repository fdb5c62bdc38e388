/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, prerendered, version } from '$service-worker';
import { deliveryResponse } from '$lib/delivery/sw';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `darkroom-app-${version}`;

/**
 * Everything the app needs offline. SvelteKit's lists miss worker chunks and .wasm
 * files, so the build also writes precache-manifest.json with every emitted file.
 * Model weights are not here: they are cached when a feature first needs them.
 */
async function appFiles(): Promise<string[]> {
	const list = new Set<string>(['/', ...build, ...files, ...prerendered]);
	try {
		const res = await fetch('/precache-manifest.json', { cache: 'no-store' });
		if (res.ok) for (const f of ((await res.json()) as { files: string[] }).files) list.add(f);
	} catch {
		/* dev server: no manifest */
	}
	return [...list].filter((f) => !f.startsWith('/models/') && !f.endsWith('.map'));
}

sw.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const cache = await caches.open(CACHE);
			// One by one, so a single missing file cannot leave the whole app uncached.
			const results = await Promise.allSettled((await appFiles()).map((f) => cache.add(f)));
			const failed = results.filter((r) => r.status === 'rejected').length;
			if (failed) console.warn(`Darkroom service worker: ${failed} files could not be cached for offline use`);
			await sw.skipWaiting();
		})()
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) if (key.startsWith('darkroom-app-') && key !== CACHE) await caches.delete(key);
			await sw.clients.claim();
		})()
	);
});

/** Static hosts often cannot send COOP/COEP; adding them here makes the page cross-origin isolated (WASM threads). */
function isolated(res: Response): Response {
	if (res.type === 'opaque' || res.status === 0 || res.headers.get('Cross-Origin-Embedder-Policy')) return res;
	const headers = new Headers(res.headers);
	headers.set('Cross-Origin-Opener-Policy', 'same-origin');
	headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
	headers.set('Cross-Origin-Resource-Policy', 'same-origin');
	return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

async function respond(request: Request): Promise<Response> {
	const url = new URL(request.url);
	const cache = await caches.open(CACHE);
	const isPage = request.mode === 'navigate';
	if (!isPage) {
		const hit = await cache.match(url.pathname);
		if (hit) return isolated(hit);
	}
	try {
		const res = await fetch(request);
		// Pages go network-first so a new deploy shows; their cached copy is the offline fallback.
		if (res.ok && (isPage || url.pathname.startsWith('/_app/'))) void cache.put(url.pathname, res.clone());
		return isolated(res);
	} catch (e) {
		const hit = (await cache.match(url.pathname)) ?? (isPage ? await cache.match(url.pathname.replace(/\/$/, '') || '/') : undefined);
		if (hit) return isolated(hit);
		if (isPage) {
			const root = await cache.match('/');
			if (root) return isolated(root);
		}
		throw e;
	}
}

sw.addEventListener('fetch', (event) => {
	const req = event.request;
	if (req.method !== 'GET') return;
	// Delivery URLs (/cdn/…, /cos/…) are rendered from the library, not fetched.
	const delivered = deliveryResponse(sw, event);
	if (delivered) return event.respondWith(delivered.then(isolated));
	const url = new URL(req.url);
	if (url.origin !== sw.location.origin || url.pathname.startsWith('/models/')) return;
	event.respondWith(respond(req));
});
