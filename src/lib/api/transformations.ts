/**
 * image.transformation.* (seed 000): named transformation templates, reusable in
 * `image.process({ transformation })`, in delivery URLs (`t_<name>`), in processing rules
 * (`style/<name>`) and in batches. create and list have the seed's shapes; get, update,
 * delete and imgproxy_url are Darkroom additions.
 */
import { DarkroomError, invalidParam } from './errors';
import type { ApiContext } from './context';
import { isPlainObject, optionalInteger, rejectUnknownKeys } from '../pipeline/validate';
import { checkName, transformToRequest } from '../pipeline/transform';
import { imgproxyUrl } from '../delivery/imgproxy';
import { base64url, fromBase64url } from '../delivery/sign';
import {
	allTransformations,
	checkTransform,
	deleteTransformation,
	findTransformation,
	lookupSnapshot,
	newTransformationId,
	putTransformation,
	type TransformationRecord
} from '../library/transformations';

export type ImageTransformation = TransformationRecord;

export interface TransformationApi {
	create(req: { name: string; transform: unknown; idempotency_key?: string }): Promise<ImageTransformation>;
	list(req?: { cursor?: string; limit?: number }): Promise<{ items: ImageTransformation[]; next_cursor?: string }>;
	get(req: { id?: string; name?: string } | string): Promise<ImageTransformation>;
	update(req: { id?: string; name?: string; transform?: unknown; new_name?: string }): Promise<ImageTransformation>;
	delete(req: { id?: string; name?: string } | string): Promise<{ ok: true; id: string }>;
	imgproxy_url(req: { name?: string; transform?: unknown; source: string; host: string; key: string; salt: string }): Promise<{ url: string }>;
}

const asReq = (raw: unknown, method: string): Record<string, unknown> => {
	if (typeof raw === 'string') return raw.startsWith('tr_') ? { id: raw } : { name: raw };
	if (!isPlainObject(raw)) throw invalidParam('request', `an object of parameters for image.transformation.${method}`, raw);
	return raw;
};

/** Runs `work` with synchronous validation errors turned into rejections. */
function call<T>(work: () => Promise<T>): Promise<T> {
	try {
		return work();
	} catch (e) {
		return Promise.reject(e);
	}
}

function encodeCursor(r: TransformationRecord): string {
	return base64url(new TextEncoder().encode(JSON.stringify([r.created_at, r.id])));
}

function decodeCursor(raw: unknown): [string, string] | undefined {
	if (raw === undefined || raw === null || raw === '') return undefined;
	const bytes = typeof raw === 'string' ? fromBase64url(raw) : undefined;
	try {
		const v = bytes && JSON.parse(new TextDecoder().decode(bytes));
		if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return v as [string, string];
	} catch {
		/* fall through */
	}
	throw invalidParam('cursor', 'a next_cursor returned by image.transformation.list', raw);
}

export function createTransformationApi(ctx: ApiContext): TransformationApi {
	return {
		create: (raw) =>
			call(async () => {
				const req = asReq(raw, 'create');
				rejectUnknownKeys(req, ['name', 'transform', 'idempotency_key'], 'image.transformation.create');
				if (req.name === undefined) throw new DarkroomError('invalid_parameter', 'Missing required parameter name for image.transformation.create', 'name');
				const name = checkName(req.name);
				return ctx.idempotency.run('transformation.create', req.idempotency_key, req, async () => {
					const lookup = await lookupSnapshot();
					if (lookup(name) !== undefined) throw new DarkroomError('unprocessable', `A named transformation "${name}" already exists; choose another name or use image.transformation.update`, 'name');
					// The new name is bound to the new transform while checking, so referring to itself is caught as a cycle.
					const transform = checkTransform(req.transform, (n) => (n === name ? (req.transform as string) : lookup(n)));
					const now = new Date().toISOString();
					const rec: TransformationRecord = { id: newTransformationId(), name, transform, created_at: now, updated_at: now };
					await putTransformation(rec);
					return rec;
				});
			}),
		list: (raw = {}) =>
			call(async () => {
				const req = asReq(raw, 'list');
				rejectUnknownKeys(req, ['cursor', 'limit'], 'image.transformation.list');
				const limit = optionalInteger(req.limit, 'limit', 1, 500, 'integer from 1 to 500') ?? 50;
				const after = decodeCursor(req.cursor);
				const all = await allTransformations();
				const start = after ? all.filter((r) => r.created_at > after[0] || (r.created_at === after[0] && r.id > after[1])) : all;
				const items = start.slice(0, limit);
				return start.length > limit ? { items, next_cursor: encodeCursor(items[items.length - 1]) } : { items };
			}),
		get: (raw) => call(async () => findTransformation(asReq(raw, 'get'))),
		update: (raw) =>
			call(async () => {
				const req = asReq(raw, 'update');
				rejectUnknownKeys(req, ['id', 'name', 'transform', 'new_name'], 'image.transformation.update');
				if (req.transform === undefined && req.new_name === undefined) throw new DarkroomError('invalid_parameter', 'Nothing to update: pass transform and/or new_name', 'transform');
				const newName = req.new_name === undefined ? undefined : checkName(req.new_name, 'new_name');
				const rec = await findTransformation(req);
				const lookup = await lookupSnapshot();
				const name = newName ?? rec.name;
				if (newName !== undefined && newName !== rec.name && lookup(newName) !== undefined)
					throw new DarkroomError('unprocessable', `A named transformation "${newName}" already exists`, 'new_name');
				// Validated against the set as it will be after the update (catches cycles through this one).
				const given = req.transform === undefined ? rec.transform : req.transform;
				const transform = checkTransform(given, (n) => (n === name ? (given as string) : n === rec.name ? undefined : lookup(n)));
				const next: TransformationRecord = { ...rec, name, transform, updated_at: new Date().toISOString() };
				await putTransformation(next);
				return next;
			}),
		delete: (raw) =>
			call(async () => {
				const rec = await findTransformation(asReq(raw, 'delete'));
				await deleteTransformation(rec.id);
				return { ok: true as const, id: rec.id };
			}),
		imgproxy_url: (raw) =>
			call(async () => {
				const req = asReq(raw, 'imgproxy_url');
				rejectUnknownKeys(req, ['name', 'id', 'transform', 'source', 'host', 'key', 'salt'], 'image.transformation.imgproxy_url');
				let transform: unknown = req.transform;
				if (transform === undefined) transform = (await findTransformation(req, 'name')).transform;
				// Names inside are resolved first: imgproxy knows nothing of them.
				const lookup = await lookupSnapshot();
				const flat = typeof transform === 'string' && /(^|,)t_/.test(transform) ? resolveFlat(transform, lookup) : transform;
				const url = await imgproxyUrl({ host: req.host as string, key: req.key as string, salt: req.salt as string }, req.source as string, flat as never);
				return { url };
			})
	};
}

/** t_<name> (with f_/q_ overrides) as the object it stands for. */
function resolveFlat(t: string, lookup: (n: string) => unknown): unknown {
	const req = transformToRequest(t, lookup as never);
	const resize = req.ops.find((o) => o.op === 'resize');
	if (req.ops.some((o) => !['resize', 'rotate', 'flip', 'flop'].includes(o.op)) || req.ops.filter((o) => o.op === 'resize').length > 1)
		return { ops: req.ops, format: req.format, quality: req.quality };
	const p = resize?.params ?? {};
	const rot = req.ops.find((o) => o.op === 'rotate')?.params;
	return {
		...(p.width !== undefined ? { width: p.width } : {}),
		...(p.height !== undefined ? { height: p.height } : {}),
		...(p.fit !== undefined ? { fit: p.fit } : {}),
		...(p.position !== undefined ? { gravity: p.position } : {}),
		...(p.background !== undefined ? { background: p.background } : {}),
		...(p.enlarge !== undefined ? { enlarge: p.enlarge } : {}),
		...(rot ? { rotate: rot.degrees } : {}),
		...(req.ops.some((o) => o.op === 'flip') ? { flip: true } : {}),
		...(req.ops.some((o) => o.op === 'flop') ? { flop: true } : {}),
		...(req.format ? { format: req.format } : {}),
		...(req.quality !== undefined ? { quality: req.quality } : {})
	};
}
