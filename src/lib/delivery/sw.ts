/**
 * Service-worker side of delivery URLs (`/cdn/<id>/<transform>`, `/cos/<key>?<rule>`):
 * checks the signature when the URL carries one (403 when it is missing, wrong or
 * expired), finds the asset in the library (IndexedDB record, OPFS bytes), serves the
 * original directly, and anything rendered from the delivery cache when its ETag still
 * matches what it was made from (the asset's bytes and, for t_<name> / style/<name>, the
 * named transformations). Otherwise an open Darkroom page renders it (see render.ts), and
 * the result is cached for next time, offline included.
 */
/// <reference lib="webworker" />
import { DarkroomError } from '../api/errors';
import { recordById, recordByKey } from '../library/db';
import { readFile } from '../library/files';
import type { AssetRecord } from '../library/record';
import { allTransformations } from '../library/transformations';
import { parseCosRule } from '../pipeline/cos-rule';
import { parseTransformString } from '../pipeline/transform';
import { readSigningKey } from './keys';
import { DELIVERY_CACHE, RENDER_MESSAGE, type RenderReply, type RenderRequest } from './protocol';
import { verdictError, verifySigned } from './sign';
import { parseDeliveryUrl, type ParsedDelivery } from './urls';

/** How long a page may take to render one delivery URL (AI ops on big photos are slow). */
const RENDER_TIMEOUT_MS = 180_000;

function errorResponse(e: DarkroomError | { status: number; code: string; message: string; param?: string }): Response {
	const body = { error: { code: e.code, status: e.status, message: e.message, ...(e.param ? { param: e.param } : {}) } };
	return new Response(JSON.stringify(body), { status: e.status, headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' } });
}

async function hex(text: string): Promise<string> {
	const d = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
	return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

function headers(mime: string, etag: string): Headers {
	return new Headers({
		'Content-Type': mime,
		ETag: etag,
		// Revalidate every time: the service worker answers 304 cheaply while nothing changed.
		'Cache-Control': 'no-cache',
		'Cross-Origin-Resource-Policy': 'same-origin'
	});
}

function notModified(request: Request, etag: string, res: () => Response): Response {
	const inm = request.headers.get('If-None-Match');
	if (inm && inm.split(',').some((t) => t.trim() === etag)) return new Response(null, { status: 304, headers: { ETag: etag, 'Cache-Control': 'no-cache' } });
	return res();
}

async function original(request: Request, rec: AssetRecord): Promise<Response> {
	const etag = `"${rec.etag}"`;
	const file = await readFile(rec.file);
	return notModified(request, etag, () => new Response(file, { status: 200, headers: headers(rec.mime, etag) }));
}

async function askPage(sw: ServiceWorkerGlobalScope, clientId: string, req: RenderRequest): Promise<RenderReply | undefined> {
	let client: Client | undefined = clientId ? await sw.clients.get(clientId) : undefined;
	client ??= (await sw.clients.matchAll({ type: 'window' }))[0];
	if (!client) return undefined;
	const channel = new MessageChannel();
	return new Promise<RenderReply>((resolve) => {
		const timer = setTimeout(() => resolve({ ok: false, status: 504, code: 'internal', message: `Rendering took longer than ${RENDER_TIMEOUT_MS / 1000} s` }), RENDER_TIMEOUT_MS);
		channel.port1.onmessage = (e) => {
			clearTimeout(timer);
			resolve(e.data as RenderReply);
		};
		client!.postMessage(req, [channel.port2]);
	});
}

async function answer(sw: ServiceWorkerGlobalScope, event: FetchEvent, p: ParsedDelivery): Promise<Response> {
	try {
		if (p.exp !== undefined || p.sig !== undefined) {
			const key = await readSigningKey();
			const verdict = key ? await verifySigned(key, p.signedPart, p.exp, p.sig) : ({ ok: false, reason: 'bad-signature' } as const);
			if (!verdict.ok) return errorResponse(verdictError(verdict));
		}
		const t = p.target;
		const rec = t.kind === 'cdn' ? await recordById(t.id) : await recordByKey(t.key);
		if (!rec) return errorResponse(new DarkroomError('not_found', t.kind === 'cdn' ? `No asset with id "${t.id}" in the library` : `No object with key "${t.key}" in the library`));
		const transform = t.kind === 'cdn' ? t.transform : undefined;
		const ruleText = t.kind === 'cos' ? t.rule : undefined;
		// Syntax first: a bad URL is a 400 even when nothing is cached.
		const parsedRule = ruleText ? parseCosRule(ruleText) : undefined;
		if (transform) parseTransformString(transform);
		if (!transform && !ruleText) return original(event.request, rec);

		const usesNames = /(^|,)t_/.test(transform ?? '') || /(^|\|)style\//.test(ruleText ?? '');
		const names = usesNames ? (await allTransformations()).map((r) => `${r.name}@${r.updated_at}`).join(';') : '';
		const etag = `"${(await hex(`${rec.etag}\n${names}\n${p.signedPart}`)).slice(0, 40)}"`;
		const cache = await caches.open(DELIVERY_CACHE);
		const cacheKey = new URL(p.signedPart, sw.location.origin).href;
		const hit = await cache.match(cacheKey);
		if (hit && hit.headers.get('ETag') === etag) return notModified(event.request, etag, () => hit);

		const reply = await askPage(sw, event.clientId || event.resultingClientId, { type: RENDER_MESSAGE, id: rec.id, width: rec.width, height: rec.height, transform, rule: ruleText });
		if (!reply)
			return errorResponse({ status: 503, code: 'unavailable', message: 'This size has not been rendered yet, and no Darkroom page is open to render it: open Darkroom in a tab and load the URL again' });
		if (!reply.ok) {
			// Cloud Infinite's ignore-error/1: on failure, the original instead of an error.
			if (parsedRule?.ignoreError) return original(event.request, rec);
			return errorResponse(reply);
		}
		const res = new Response(reply.bytes, { status: 200, headers: headers(reply.mime, etag) });
		await cache.put(cacheKey, res.clone());
		return notModified(event.request, etag, () => res);
	} catch (e) {
		if (DarkroomError.is(e)) return errorResponse(e as DarkroomError);
		return errorResponse({ status: 500, code: 'internal', message: `Delivery failed: ${e instanceof Error ? e.message : String(e)}` });
	}
}

/** The response for a delivery URL, or undefined for any other request. */
export function deliveryResponse(sw: ServiceWorkerGlobalScope, event: FetchEvent): Promise<Response> | undefined {
	const req = event.request;
	if (req.method !== 'GET') return undefined;
	const url = new URL(req.url);
	if (url.origin !== sw.location.origin) return undefined;
	const p = parseDeliveryUrl(url);
	return p ? answer(sw, event, p) : undefined;
}
