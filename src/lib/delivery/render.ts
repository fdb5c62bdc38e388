/**
 * Page side of delivery URLs: the service worker cannot start Web Workers, so it asks an
 * open Darkroom page to render, and that page runs the same `image.process` as every other
 * call (named transformations, rules, worker pool), then hands the bytes back.
 */
import type { Darkroom } from '../api/types';
import { DarkroomError } from '../api/errors';
import { parseCosRule, resolveCosRule } from '../pipeline/cos-rule';
import { transformToRequest } from '../pipeline/transform';
import { lookupSnapshot } from '../library/transformations';
import { RENDER_MESSAGE, type RenderReply, type RenderRequest } from './protocol';

export async function renderForDelivery(d: Darkroom, req: RenderRequest): Promise<RenderReply> {
	try {
		let result;
		if (req.rule !== undefined) {
			const rule = parseCosRule(req.rule);
			if (rule.repair) {
				// ci-process=ImageRepair (seed 002 on a stored object).
				const r = await d.repair.image_repair({ image: { id: req.id }, ...rule.repair } as never);
				const bytes = await d.fetchBytes(r.image_url);
				d.release(r.image_url);
				return { ok: true, bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, mime: r.mime };
			}
			const lookup = await lookupSnapshot();
			const part = resolveCosRule(rule, req.width, req.height, (name) => {
				if (lookup(name) === undefined) throw new DarkroomError('not_found', `No named transformation "${name}" for style/${name}`, 'rule');
				return transformToRequest(`t_${name}`, lookup, 'rule');
			});
			result = await d.image.process({ image: { id: req.id }, ops: part.ops as never, ...(part.format ? { format: part.format } : {}), ...(part.quality !== undefined ? { quality: part.quality } : {}) });
		} else {
			result = await d.image.process({ image: { id: req.id }, transformation: req.transform });
		}
		const bytes = await d.fetchBytes(result.image_url);
		d.release(result.image_url);
		return { ok: true, bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, mime: result.mime };
	} catch (e) {
		const err = DarkroomError.is(e) ? (e as DarkroomError) : new DarkroomError('internal', e instanceof Error ? e.message : String(e));
		return { ok: false, status: err.status, code: err.code, message: err.message, ...(err.param ? { param: err.param } : {}) };
	}
}

/** Answers the service worker's render requests for as long as this page is open. */
export function listenForRenders(d: Darkroom): void {
	if (!('serviceWorker' in navigator)) return;
	navigator.serviceWorker.addEventListener('message', (event: MessageEvent) => {
		const req = event.data as RenderRequest | undefined;
		const port = event.ports[0];
		if (!req || req.type !== RENDER_MESSAGE || !port) return;
		void renderForDelivery(d, req).then((reply) => port.postMessage(reply, reply.ok ? [reply.bytes] : []));
	});
	navigator.serviceWorker.startMessages();
}
