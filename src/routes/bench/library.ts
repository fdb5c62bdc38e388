/**
 * Bench section "library": the issue 6 paths a user waits for, through window.darkroom on
 * this page, with ratios against a baseline from the same run.
 *  - image.upload per photo (hash, header, thumbnail through the worker, OPFS + IndexedDB).
 *  - A delivery URL: the first render (what the service worker waits for: the page renders
 *    the transform through image.process, see delivery/render.ts) against a repeat answered
 *    from the delivery cache (record lookup, ETag, Cache Storage match, body read: the service
 *    worker's own steps, run here because this page is not always controlled by it yet).
 *  - image.batch with N photos against the same N image.process calls one after another.
 * Everything it stores is removed at the end.
 */
import { darkroom } from '$lib/ui/darkroom';
import { renderForDelivery } from '$lib/delivery/render';
import { DELIVERY_CACHE, RENDER_MESSAGE } from '$lib/delivery/protocol';
import { recordById } from '$lib/library/db';
import { round3, summarise } from './metrics';
import type { BenchConfig, ModelPhoto, Stat } from './protocol';

const TRANSFORM = 'w_800,h_600,c_cover,f_webp,q_80';
const BATCH_OPS = [{ op: 'resize', params: { width: 800 } }];

export interface LibraryResult {
	upload: { per_photo: Stat; photos: number; mean_bytes: number };
	delivery: { transform: string; render: Stat; cache_hit: Stat; render_vs_hit: number };
	batch: { items: number; lanes: number; batch_ms: number; sequential_ms: number; batch_vs_sequential: number };
	error?: string;
}

const base = (n: string) => n.split('/').pop() ?? n;

async function hex(text: string): Promise<string> {
	const d = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
	return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function runLibrary(photos: ModelPhoto[], cfg: BenchConfig, progress: (m: string) => void, notes: string[]): Promise<LibraryResult> {
	const api = darkroom();
	const now = () => performance.now();
	const ids: string[] = [];
	try {
		// ---- upload ----
		progress('library: upload');
		const up: number[] = [];
		let bytes = 0;
		for (const p of photos) {
			const t0 = now();
			const a = await api.image.upload({ file: new Blob([p.bytes.slice(0)], { type: 'image/jpeg' }), key: `bench-library/${base(p.name)}`, overwrite: true });
			up.push(now() - t0);
			ids.push(a.id);
			bytes += a.bytes;
		}
		const upload = { per_photo: summarise(up, 0), photos: photos.length, mean_bytes: Math.round(bytes / Math.max(1, photos.length)) };

		// ---- delivery: first render vs cache hit ----
		progress('library: delivery render vs cache');
		const render: number[] = [];
		const hit: number[] = [];
		const cache = await caches.open(DELIVERY_CACHE);
		for (const id of ids.slice(0, Math.max(1, Math.min(ids.length, cfg.reps)))) {
			const rec = (await recordById(id))!;
			const t0 = now();
			const reply = await renderForDelivery(api, { type: RENDER_MESSAGE, id, width: rec.width, height: rec.height, transform: TRANSFORM });
			render.push(now() - t0);
			if (!reply.ok) throw new Error(`render: ${reply.message}`);
			const key = new URL(`/cdn/${id}/${TRANSFORM}`, location.origin).href;
			await cache.put(key, new Response(reply.bytes, { headers: { 'Content-Type': reply.mime } }));
			for (let k = 0; k < 3; k++) {
				const t1 = now();
				const r = (await recordById(id))!;
				await hex(`${r.etag}\n\n/cdn/${id}/${TRANSFORM}`);
				const res = await cache.match(key);
				await res!.arrayBuffer();
				hit.push(now() - t1);
			}
			await cache.delete(key);
		}
		const delivery = { transform: TRANSFORM, render: summarise(render, 0), cache_hit: summarise(hit, 0), render_vs_hit: 0 };
		delivery.render_vs_hit = round3(delivery.render.median_ms / delivery.cache_hit.median_ms);

		// ---- batch vs sequential ----
		progress('library: batch vs sequential');
		const items = photos.map((p) => ({ image: new Blob([p.bytes.slice(0)], { type: 'image/jpeg' }), ops: BATCH_OPS }));
		let t0 = now();
		for (const it of items) {
			const r = await api.image.process({ image: it.image, ops: BATCH_OPS as never, format: 'webp' });
			api.release(r.image_url);
		}
		const sequential = now() - t0;
		t0 = now();
		const job = await api.image.batch.submit({ items, format: 'webp' });
		for (;;) {
			const s = await api.image.batch.status({ id: job.id });
			if (s.status === 'completed' || s.status === 'cancelled') break;
			await new Promise((r) => setTimeout(r, 250));
		}
		const batchMs = now() - t0;
		await api.image.batch.delete({ id: job.id });
		const lanes = Math.max(1, Math.min(4, navigator.hardwareConcurrency >= 4 ? navigator.hardwareConcurrency - 1 : navigator.hardwareConcurrency || 2));
		const batch = { items: items.length, lanes, batch_ms: Math.round(batchMs), sequential_ms: Math.round(sequential), batch_vs_sequential: round3(batchMs / sequential) };
		notes.push(`library: batch runs ${lanes} items at a time (the worker pool); the ratio is batch wall time / the same process calls one after another`);
		return { upload, delivery, batch };
	} finally {
		for (const id of ids) await api.image.delete({ id }).catch(() => {});
	}
}
