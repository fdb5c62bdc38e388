/**
 * darkroom.watermark_removal.remove (seed 004): finds text watermarks with OCR (PP-OCRv4) or takes
 * the caller's rectangles, and removes them with the inpainting engine, in a worker. Answers in the
 * seed's shape: { httpCode, httpMsg, returnType, data: { processStatus, processMsg, processCount,
 * processLocation: [{ x, y, w, h, lineCount, word }], url }, encryptedInfo }.
 *
 * - A repeat of the same image bytes and parameters answers from the cache (5 h, as the seed keeps
 *   results) with httpCode 304 and the same url, without recomputing.
 * - sync: true (the seed's name for asynchronous) answers processStatus 52000 at once and POSTs the
 *   full result as JSON to `callback` (with the image as data.image_base64, since a blob: url means
 *   nothing elsewhere); a delivery that does not answer HTTP 200 is retried once, 1 s later. The
 *   callback host is the only one contacted, and only because the caller named it; it must allow
 *   CORS for a JSON POST from this origin.
 * - Failures reject with a DarkroomError (400/413/415/500) that carries the seed's failure body in
 *   `response` (processStatus 52001 for a bad request, 52003 for a timeout, 52004 for an internal
 *   error); an asynchronous job delivers that body to the callback instead.
 */
import { DarkroomError, invalidParam } from './errors';
import { encodeBase64, resolveImageRef } from './refs';
import { isPlainObject } from '../pipeline/validate';
import { IMAGE_KEYS, parseWmRemoveParams, type WmRemoveParams } from '../features/wmremove/params';
import { HTTP_MSG, PROCESS_MSG, PROCESS_STATUS, type ProcessStatus } from '../features/wmremove/status';
import type { WmRemoveResult } from '../features/wmremove/types';
import type { ApiContext } from './context';
import type { WatermarkRemovalApi, WatermarkRemovalResponse } from './types';
import { parseEngine, resolveEngine } from './inpainter';
import type { NetworkSpec } from '../features/inpaint-net/types';

/** How long a result answers repeats with 304 (the seed keeps results 5 hours). */
export const WMREMOVE_CACHE_MS = 5 * 3600 * 1000;
/** A call still running after this long answers 52003. */
export const WMREMOVE_TIMEOUT_MS = 300_000;
export const CALLBACK_RETRY_DELAY_MS = 1000;
const CACHE_MAX = 100;

type Body = WatermarkRemovalResponse;
/** The seed's parameters plus Darkroom's `engine`, resolved: the network to fill with (absent = PatchMatch). */
type Params = WmRemoveParams & { network?: NetworkSpec };

function envelope(httpCode: number, data: Body['data'], id?: string): Body {
	const b: Body = { httpCode, httpMsg: HTTP_MSG[httpCode] ?? HTTP_MSG[500], returnType: 'json', data };
	if (id) b.encryptedInfo = { imageUniqueIdentification: id };
	return b;
}

/** A DarkroomError carrying the seed's failure body. */
function failure(e: unknown, id?: string): DarkroomError & { response: Body } {
	const err = DarkroomError.is(e) ? (e as DarkroomError) : new DarkroomError('internal', `watermark_removal.remove failed: ${e instanceof Error ? e.message : String(e)}`);
	const timeout = /timed out/i.test(err.message) && err.code === 'internal';
	const status: ProcessStatus = timeout ? PROCESS_STATUS.TIMEOUT : err.status >= 500 ? PROCESS_STATUS.ERROR : PROCESS_STATUS.UNHANDLED;
	const body = envelope(err.status >= 500 ? 500 : err.status === 413 ? 413 : 400, { processStatus: status, processMsg: PROCESS_MSG[status] }, id);
	body.msgInnerReferer = `${err.code}${err.param ? `[${err.param}]` : ''}: ${err.message}`;
	return Object.assign(err, { response: body });
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
	const d = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
	return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join('');
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
	let timer: ReturnType<typeof setTimeout>;
	const t = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new DarkroomError('internal', `watermark_removal.remove timed out after ${ms / 1000} s`)), ms);
	});
	return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export function createWatermarkRemovalApi(ctx: ApiContext): WatermarkRemovalApi {
	const cache = new Map<string, { at: number; body: Promise<Body> }>();
	let jobs = 0;

	function imageParam(req: Record<string, unknown>): string {
		const k = IMAGE_KEYS.find((k) => req[k] !== undefined && req[k] !== null && req[k] !== '');
		if (!k) throw new DarkroomError('invalid_parameter', 'Missing required parameter image_file (or image_url, image_base64, image): the image to remove text watermarks from', 'image_file');
		return k;
	}

	async function compute(bytes: Uint8Array, id: string, p: Params): Promise<Body> {
		const job = { bytes, limits: ctx.limits(), selection: p.selection, ocrOnly: p.ocrOnly, show: p.show, rectangles: p.rectangles, offset: p.offset, network: p.network };
		const r = await withTimeout(ctx.pool.run<WmRemoveResult>('wmremove', [job], [bytes.buffer]), WMREMOVE_TIMEOUT_MS);
		const data: Body['data'] = {
			processStatus: r.status,
			processCount: r.locations.length,
			processMsg: PROCESS_MSG[r.status],
			processLocation: r.locations.map((l) => ({ x: l.x, y: l.y, w: l.w, h: l.h, lineCount: l.lineCount, word: l.word }))
		};
		if (r.image) {
			const img = ctx.results.toProcessed(r.image);
			Object.assign(data, { url: img.image_url, mime: img.mime, width: img.width, height: img.height });
		}
		return envelope(200, data, id);
	}

	/** The result for these bytes and parameters, from the cache (304) while its url is still alive. */
	async function answer(bytes: Uint8Array, p: Params): Promise<Body> {
		const hash = await sha256Hex(bytes);
		const id = hash.slice(0, 32);
		const { async: _a, callback: _c, ...processing } = p;
		const key = `${hash}\u0000${JSON.stringify(processing)}`;
		const hit = cache.get(key);
		if (hit && Date.now() - hit.at < WMREMOVE_CACHE_MS) {
			const body = await hit.body.catch(() => undefined);
			if (body && (!body.data.url || ctx.results.get(body.data.url))) return { ...structuredClone(body), httpCode: 304, httpMsg: HTTP_MSG[304] };
		}
		const body = compute(bytes, id, p).catch((e) => {
			throw failure(e, id);
		});
		cache.delete(key);
		cache.set(key, { at: Date.now(), body });
		body.catch(() => cache.delete(key));
		if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value!);
		return structuredClone(await body);
	}

	async function deliver(url: string, body: Body, bytes?: Uint8Array): Promise<boolean> {
		const payload = JSON.stringify(bytes ? { ...body, data: { ...body.data, image_base64: encodeBase64(bytes) } } : body);
		for (let attempt = 0; attempt < 2; attempt++) {
			if (attempt) await new Promise((r) => setTimeout(r, CALLBACK_RETRY_DELAY_MS));
			try {
				const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: payload, credentials: 'omit' });
				if (res.status === 200) return true;
			} catch {
				/* network error or CORS refusal: retried once */
			}
		}
		return false;
	}

	return {
		async remove(raw: unknown): Promise<Body> {
			let p: Params;
			let bytes: Uint8Array;
			try {
				if (!isPlainObject(raw)) throw invalidParam('request', 'an object of parameters for watermark_removal.remove', raw);
				const key = imageParam(raw);
				// engine is Darkroom's addition, not one of the seed's parameters.
				const { engine: engineRaw, ...seed } = raw;
				const engine = parseEngine(engineRaw);
				p = parseWmRemoveParams(seed);
				bytes = (await resolveImageRef(raw[key], key, ctx.limits())).bytes;
				// Resolved now, so the cache key holds the network that ran (its hash), not just 'auto'.
				const network = await resolveEngine(engine);
				if (network) p.network = network;
			} catch (e) {
				throw failure(e);
			}
			if (!p.async) return answer(bytes, p);

			const jobId = `wmremove-${Date.now().toString(36)}-${(++jobs).toString(36)}`;
			const callback = p.callback!;
			void (async () => {
				let body: Body;
				let image: Uint8Array | undefined;
				try {
					body = await answer(bytes, p);
					if (body.data.url) image = ctx.results.get(body.data.url);
				} catch (e) {
					body = (e as { response?: Body }).response ?? failure(e).response;
				}
				body.data.jobId = jobId;
				await deliver(callback, body, image);
			})();
			return envelope(200, { processStatus: PROCESS_STATUS.WAITING, processMsg: PROCESS_MSG[PROCESS_STATUS.WAITING], jobId });
		}
	};
}
