/**
 * image.batch.* (seed 000): many images through the same ops, run across the worker pool.
 * Jobs are persisted (IndexedDB, inputs and results as Blobs), so a reload resumes where it
 * stopped, and a Web Lock per job makes sure only one tab runs it. One item failing (a
 * corrupt file, an op that does not fit) marks that item failed; the others go on. Cancel
 * stops what has not started and keeps what has finished. On completion: a notification
 * (when the user allowed them) and, when given, a POST of the job to `webhook_url`.
 *
 * Shapes: submit → ImageJob { id, status, count, created_at }; status → ImageJob { id,
 * status, count, done, failed, results }; cancel → ImageJob { id, status }. Darkroom adds
 * list, delete and download (all results as one ZIP).
 */
import { DarkroomError, invalidParam } from './errors';
import type { ApiContext } from './context';
import type { Darkroom, ProcessedImage } from './types';
import { resolveImageRef } from './refs';
import { fingerprintOf } from './idempotency';
import { isPlainObject, optionalFormat, optionalInteger, rejectUnknownKeys } from '../pipeline/validate';
import { validateOps } from '../pipeline/ops';
import { zipBlob } from '../library/zip';
import {
	allJobs,
	cancelQueued,
	createJob,
	deleteJob,
	getItem,
	getJob,
	itemsOf,
	jobByIdempotencyKey,
	newJobId,
	putItem,
	updateJob,
	type BatchItem,
	type BatchJob,
	type ItemError,
	type JobStatus
} from '../library/batch-store';

export const MAX_ITEMS = 1000;
const ITEM_KEYS = ['image', 'input', 'ops', 'transformation', 'format', 'quality', 'name'];

export interface BatchItemResult {
	index: number;
	name: string;
	status: BatchItem['status'];
	image_url?: string;
	mime?: string;
	width?: number;
	height?: number;
	bytes?: number;
	error?: ItemError;
}

export interface ImageJob {
	id: string;
	status: JobStatus;
	count: number;
	done: number;
	failed: number;
	cancelled: number;
	created_at: string;
	updated_at: string;
	completed_at?: string;
	webhook?: BatchJob['webhook'];
	results?: BatchItemResult[];
}

export interface BatchSubmitRequest {
	items: { image: unknown; ops?: unknown[]; transformation?: unknown; format?: string; quality?: number; name?: string }[];
	/** Defaults for every item that does not set its own. */
	ops?: unknown[];
	transformation?: unknown;
	format?: string;
	quality?: number;
	webhook_url?: string;
	idempotency_key?: string;
}

export interface BatchApi {
	submit(req: BatchSubmitRequest): Promise<Pick<ImageJob, 'id' | 'status' | 'count' | 'created_at'>>;
	status(req: { id: string } | string): Promise<ImageJob>;
	cancel(req: { id: string; idempotency_key?: string } | string): Promise<Pick<ImageJob, 'id' | 'status'>>;
	list(req?: { limit?: number }): Promise<{ items: ImageJob[] }>;
	delete(req: { id: string } | string): Promise<{ ok: true; id: string }>;
	download(req: { id: string } | string): Promise<{ zip_url: string; bytes: number; files: number }>;
}

const EXT: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/avif': 'avif' };

function idOf(raw: unknown, method: string): string {
	const id = typeof raw === 'string' ? raw : isPlainObject(raw) ? raw.id : undefined;
	if (id === undefined) throw new DarkroomError('invalid_parameter', `Missing required parameter id for image.batch.${method}`, 'id');
	if (typeof id !== 'string' || !/^job_[0-9a-f]{20}$/.test(id)) throw invalidParam('id', 'a batch job id (job_…)', id);
	return id;
}

function asError(e: unknown): ItemError {
	if (DarkroomError.is(e)) {
		const d = e as DarkroomError;
		return { code: d.code, status: d.status, message: d.message, ...(d.param ? { param: d.param } : {}) };
	}
	return { code: 'internal', status: 500, message: e instanceof Error ? e.message : String(e) };
}

function checkWebhook(v: unknown): string | undefined {
	if (v === undefined || v === null) return undefined;
	let u: URL | undefined;
	try {
		u = typeof v === 'string' ? new URL(v) : undefined;
	} catch {
		u = undefined;
	}
	if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) throw invalidParam('webhook_url', 'an http(s) URL', v);
	return u.href;
}

function nameOf(ref: unknown, i: number): string {
	if (typeof File !== 'undefined' && ref instanceof File && ref.name) return ref.name;
	if (isPlainObject(ref) && typeof ref.url === 'string') return ref.url.split(/[?#]/)[0].split('/').pop() || `item-${i + 1}`;
	return `item-${i + 1}`;
}

export function createBatchApi(ctx: ApiContext, api: () => Darkroom): BatchApi {
	const urls = new Map<string, string>();
	const running = new Set<string>();

	function notify(id: string): void {
		if (typeof window !== 'undefined') window.dispatchEvent(new CustomEvent('darkroom:batch', { detail: { id } }));
	}

	function urlFor(item: BatchItem): string | undefined {
		if (!item.result) return undefined;
		const k = `${item.job_id}/${item.index}`;
		let u = urls.get(k);
		if (!u) {
			u = URL.createObjectURL(item.result.blob);
			urls.set(k, u);
		}
		return u;
	}

	async function view(job: BatchJob, withResults: boolean): Promise<ImageJob> {
		const items = await itemsOf(job.id);
		const count = (s: BatchItem['status']) => items.filter((i) => i.status === s).length;
		const out: ImageJob = {
			id: job.id,
			status: job.status,
			count: job.count,
			done: count('done'),
			failed: count('failed'),
			cancelled: count('cancelled'),
			created_at: job.created_at,
			updated_at: job.updated_at,
			...(job.completed_at ? { completed_at: job.completed_at } : {}),
			...(job.webhook ? { webhook: job.webhook } : {})
		};
		if (withResults)
			out.results = items.map((i) => ({
				index: i.index,
				name: i.name,
				status: i.status,
				...(i.result ? { image_url: urlFor(i), mime: i.result.mime, width: i.result.width, height: i.result.height, bytes: i.result.bytes } : {}),
				...(i.error ? { error: i.error } : {})
			}));
		return out;
	}

	async function runItem(item: BatchItem): Promise<void> {
		const d = api();
		const started = { ...item, status: 'running' as const, started_at: new Date().toISOString() };
		await putItem(started);
		notify(item.job_id);
		let next: BatchItem;
		try {
			const req: Record<string, unknown> = { image: item.source };
			if (item.ops !== undefined) req.ops = item.ops;
			if (item.transformation !== undefined) req.transformation = item.transformation;
			if (item.format !== undefined) req.format = item.format;
			if (item.quality !== undefined) req.quality = item.quality;
			const r: ProcessedImage = await d.image.process(req as never);
			const bytes = await d.fetchBytes(r.image_url);
			d.release(r.image_url);
			next = { ...started, status: 'done', finished_at: new Date().toISOString(), result: { blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: r.mime }), mime: r.mime, width: r.width, height: r.height, bytes: r.bytes } };
		} catch (e) {
			next = { ...started, status: 'failed', finished_at: new Date().toISOString(), error: asError(e) };
		}
		await putItem(next);
		await updateJob(item.job_id, (j) => ({ ...j, updated_at: new Date().toISOString() }));
		notify(item.job_id);
	}

	async function postWebhook(job: ImageJob, url: string): Promise<BatchJob['webhook']> {
		const body = JSON.stringify({ ...job, results: job.results?.map(({ image_url: _u, ...r }) => r) });
		let last: { status?: number; error?: string } = {};
		for (let attempt = 1; attempt <= 2; attempt++) {
			try {
				const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
				if (res.ok) return { url, status: 'sent', attempts: attempt, last_status: res.status };
				last = { status: res.status };
			} catch (e) {
				last = { error: e instanceof Error ? e.message : String(e) };
			}
			if (attempt === 1) await new Promise((r) => setTimeout(r, 1000));
		}
		return { url, status: 'failed', attempts: 2, ...(last.status !== undefined ? { last_status: last.status } : {}), ...(last.error ? { error: last.error } : {}) };
	}

	function announce(job: ImageJob): void {
		if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
		const zh = document.documentElement.lang.startsWith('zh');
		const title = zh ? 'Darkroom 批处理完成' : 'Darkroom batch finished';
		const body = zh ? `${job.done} 张完成，${job.failed} 张失败（共 ${job.count} 张）` : `${job.done} done, ${job.failed} failed (of ${job.count})`;
		try {
			new Notification(title, { body, tag: job.id });
		} catch {
			/* some browsers allow notifications only from a service worker */
		}
	}

	async function finish(id: string): Promise<void> {
		const job = await updateJob(id, (j) => (j.status === 'running' || j.status === 'queued' ? { ...j, status: 'completed', completed_at: new Date().toISOString(), updated_at: new Date().toISOString() } : undefined));
		if (!job) return;
		const v = await view(job, true);
		notify(id);
		if (job.status === 'completed' || job.status === 'cancelled') announce(v);
		if (job.webhook && job.webhook.status === 'pending') {
			const webhook = await postWebhook(v, job.webhook.url);
			await updateJob(id, (j) => ({ ...j, webhook }));
			notify(id);
		}
	}

	/** Runs a job's queued items, as many at a time as the pool has workers; one tab per job. */
	async function run(id: string): Promise<void> {
		if (running.has(id)) return;
		running.add(id);
		try {
			const work = async () => {
				// Items left "running" by a closed tab start again.
				for (const it of await itemsOf(id)) if (it.status === 'running') await putItem({ ...it, status: 'queued' });
				const job = await updateJob(id, (j) => (j.status === 'queued' ? { ...j, status: 'running', updated_at: new Date().toISOString() } : undefined));
				if (!job || (job.status !== 'running' && job.status !== 'queued')) return;
				notify(id);
				const queue = (await itemsOf(id)).filter((i) => i.status === 'queued').map((i) => i.index);
				const lanes = Math.max(1, Math.min(ctx.pool.capacity, queue.length));
				await Promise.all(
					Array.from({ length: lanes }, async () => {
						for (;;) {
							const index = queue.shift();
							if (index === undefined) return;
							const cur = await getJob(id);
							if (!cur || cur.status === 'cancelled') return;
							const item = await getItem(id, index);
							if (item?.status === 'queued') await runItem(item);
						}
					})
				);
				const after = await getJob(id);
				if (after?.status === 'running') await finish(id);
				else if (after?.status === 'cancelled') notify(id);
			};
			if (typeof navigator !== 'undefined' && navigator.locks) await navigator.locks.request(`darkroom-batch-${id}`, { ifAvailable: true }, async (lock) => (lock ? work() : undefined));
			else await work();
		} finally {
			running.delete(id);
		}
	}

	/** Picks up jobs a previous page left unfinished. */
	async function resume(): Promise<void> {
		for (const j of await allJobs()) if (j.status === 'queued' || j.status === 'running') void run(j.id);
	}
	if (typeof window !== 'undefined' && typeof indexedDB !== 'undefined') setTimeout(() => void resume().catch(() => {}), 500);

	const call = <T>(work: () => Promise<T>): Promise<T> => {
		try {
			return work();
		} catch (e) {
			return Promise.reject(e);
		}
	};

	return {
		submit: (raw) =>
			call(async () => {
				if (!isPlainObject(raw)) throw invalidParam('request', 'an object { items: [{ image, ops }], webhook_url? }', raw);
				const req = raw as Record<string, unknown>;
				rejectUnknownKeys(req, ['items', 'ops', 'transformation', 'format', 'quality', 'webhook_url', 'idempotency_key'], 'image.batch.submit');
				if (!Array.isArray(req.items) || req.items.length === 0 || req.items.length > MAX_ITEMS) throw invalidParam('items', `an array of 1–${MAX_ITEMS} { image, ops }`, req.items);
				const webhook = checkWebhook(req.webhook_url);
				// Parameters are checked up front (400 naming items[i]…); only what depends on the image itself fails per item.
				if (req.ops !== undefined) validateOps(req.ops);
				const jobFormat = optionalFormat(req.format, 'format');
				const jobQuality = optionalInteger(req.quality, 'quality', 1, 100, 'integer from 1 to 100');
				const items = req.items as unknown[];
				items.forEach((it, i) => {
					const where = `items[${i}]`;
					if (!isPlainObject(it)) throw invalidParam(where, 'an object { image, ops }', it);
					for (const k of Object.keys(it)) if (!ITEM_KEYS.includes(k)) throw invalidParam(`${where}.${k}`, `a known item key (${ITEM_KEYS.join(', ')})`, k);
					if (it.image === undefined && it.input === undefined) throw new DarkroomError('invalid_parameter', `Missing required parameter ${where}.image`, `${where}.image`);
					if (it.ops !== undefined) {
						try {
							validateOps(it.ops);
						} catch (e) {
							if (!DarkroomError.is(e)) throw e;
							const err = e as DarkroomError;
							throw new DarkroomError(err.code, `${where}: ${err.message}`, err.param ? `${where}.${err.param}` : `${where}.ops`);
						}
					}
					optionalFormat(it.format, `${where}.format`);
					optionalInteger(it.quality, `${where}.quality`, 1, 100, 'integer from 1 to 100');
					if (it.name !== undefined && (typeof it.name !== 'string' || it.name.length > 255)) throw invalidParam(`${where}.name`, 'a file name of at most 255 characters', it.name);
				});
				const key = req.idempotency_key;
				if (key !== undefined && (typeof key !== 'string' || key.length === 0 || key.length > 255)) throw invalidParam('idempotency_key', 'a non-empty string of at most 255 characters', key);
				const fingerprint = key ? fingerprintOf(req) : undefined;
				if (key) {
					// Kept with the job, so a retry after a reload still finds it.
					const old = await jobByIdempotencyKey(key as string);
					if (old) {
						if (old.fingerprint !== fingerprint) throw new DarkroomError('unprocessable', `idempotency_key "${key}" was already used for image.batch.submit with different parameters`, 'idempotency_key');
						return { id: old.id, status: old.status, count: old.count, created_at: old.created_at };
					}
				}
				const id = newJobId();
				const now = new Date().toISOString();
				const limits = ctx.limits();
				const stored: BatchItem[] = [];
				for (const [i, raw] of items.entries()) {
					const it = raw as Record<string, unknown>;
					const ref = it.image ?? it.input;
					const base: BatchItem = { job_id: id, index: i, name: typeof it.name === 'string' ? it.name : nameOf(ref, i), status: 'queued' };
					const ops = it.ops ?? req.ops;
					if (ops !== undefined) base.ops = ops as unknown[];
					const transformation = it.transformation ?? req.transformation;
					if (transformation !== undefined) base.transformation = transformation;
					const format = (it.format as string | undefined) ?? jobFormat;
					if (format !== undefined) base.format = format;
					const quality = (it.quality as number | undefined) ?? jobQuality;
					if (quality !== undefined) base.quality = quality;
					try {
						if (isPlainObject(ref) && typeof ref.id === 'string' && Object.keys(ref).length === 1) base.source = { id: ref.id };
						else {
							const { bytes } = await resolveImageRef(ref, `items[${i}].image`, limits);
							base.source = new Blob([bytes as Uint8Array<ArrayBuffer>]);
						}
					} catch (e) {
						// An unreadable input fails this item only.
						Object.assign(base, { status: 'failed', error: asError(e), finished_at: now });
					}
					stored.push(base);
				}
				const job: BatchJob = { id, status: 'queued', count: items.length, created_at: now, updated_at: now };
				if (webhook) job.webhook = { url: webhook, status: 'pending', attempts: 0 };
				if (key) Object.assign(job, { idempotency_key: key, fingerprint });
				await createJob(job, stored);
				void run(id);
				return { id, status: job.status, count: job.count, created_at: now };
			}),
		status: (raw) =>
			call(async () => {
				const id = idOf(raw, 'status');
				const job = await getJob(id);
				if (!job) throw new DarkroomError('not_found', `No batch job with id "${id}"`, 'id');
				return view(job, true);
			}),
		cancel: (raw) =>
			call(async () => {
				const id = idOf(raw, 'cancel');
				const now = new Date().toISOString();
				const job = await updateJob(id, (j) => (j.status === 'queued' || j.status === 'running' ? { ...j, status: 'cancelled', cancelled_at: now, updated_at: now } : undefined));
				if (!job) throw new DarkroomError('not_found', `No batch job with id "${id}"`, 'id');
				if (job.status === 'cancelled') await cancelQueued(id, now);
				notify(id);
				return { id, status: job.status };
			}),
		list: (raw = {}) =>
			call(async () => {
				if (!isPlainObject(raw)) throw invalidParam('request', 'an object { limit? }', raw);
				rejectUnknownKeys(raw, ['limit'], 'image.batch.list');
				const limit = optionalInteger(raw.limit, 'limit', 1, 500, 'integer from 1 to 500') ?? 50;
				const jobs = (await allJobs()).slice(0, limit);
				return { items: await Promise.all(jobs.map((j) => view(j, false))) };
			}),
		delete: (raw) =>
			call(async () => {
				const id = idOf(raw, 'delete');
				const job = await getJob(id);
				if (!job) throw new DarkroomError('not_found', `No batch job with id "${id}"`, 'id');
				if (job.status === 'queued' || job.status === 'running') throw new DarkroomError('unprocessable', `Batch job ${id} is still ${job.status}; cancel it first`, 'id');
				await deleteJob(id);
				for (const [k, u] of urls) if (k.startsWith(`${id}/`)) {
					URL.revokeObjectURL(u);
					urls.delete(k);
				}
				return { ok: true as const, id };
			}),
		download: (raw) =>
			call(async () => {
				const id = idOf(raw, 'download');
				const job = await getJob(id);
				if (!job) throw new DarkroomError('not_found', `No batch job with id "${id}"`, 'id');
				const items = (await itemsOf(id)).filter((i) => i.result);
				if (items.length === 0) throw new DarkroomError('unprocessable', `Batch job ${id} has no finished results yet`, 'id');
				const used = new Set<string>();
				const entries = [];
				for (const it of items) {
					const stem = it.name.replace(/\.[A-Za-z0-9]{1,5}$/, '').replace(/[\\/:*?"<>|]+/g, '_') || `item-${it.index + 1}`;
					let name = `${stem}.${EXT[it.result!.mime] ?? 'bin'}`;
					for (let n = 2; used.has(name); n++) name = `${stem}-${n}.${EXT[it.result!.mime] ?? 'bin'}`;
					used.add(name);
					entries.push({ name, data: new Uint8Array(await it.result!.blob.arrayBuffer()), modified: it.finished_at ? new Date(it.finished_at) : undefined });
				}
				const blob = zipBlob(entries);
				const bytes = new Uint8Array(await blob.arrayBuffer());
				const processed = ctx.results.toProcessed({ bytes, mime: 'application/zip', width: 0, height: 0 });
				return { zip_url: processed.image_url, bytes: bytes.length, files: entries.length };
			})
	};
}
