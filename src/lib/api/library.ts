import { cdnPath } from '../delivery/urls';
import { DarkroomError, invalidParam } from './errors';
import { resolveImageRef } from './refs';
import type { ApiContext } from './context';
import type { ImageAsset, LibraryApi, ListRequest, ListResponse, UploadRequest } from './types';
import type { ImageMetadata } from '../codecs/types';
import type { PipelineResult } from '../pipeline/executor';
import { validateDirectOp } from '../pipeline/ops';
import { validateOutput } from '../pipeline/output';
import { isPlainObject, optionalBoolean, optionalEnum, optionalString, rejectUnknownKeys } from '../pipeline/validate';
import { library } from '../library/store';
import { isAssetId, newAssetId, sha256Hex } from '../library/ids';
import { joinKey, normalizeFolder, normalizeKey, normalizeTags, sanitizeName, splitKey, uniqueKey } from '../library/keys';
import { decodeCursor, LIST_ORDERS, paginate, validateLimit, type ListOrder } from '../library/cursor';
import { exportLibrary, importLibrary, type ImportResult } from '../library/archive';
import { THUMB_SIZE, type AssetRecord } from '../library/record';
import type { NewAsset } from '../library/store';

/**
 * Seed 000's asset calls (`image.upload`, `get`, `list`, `delete`) and Darkroom's
 * `library.*` (usage, limit, export, import) over the on-device library.
 */

const UPLOAD_KEYS = ['file', 'image', 'filename', 'folder', 'key', 'tags', 'overwrite', 'idempotency_key'];
const LIST_KEYS = ['cursor', 'limit', 'folder', 'recursive', 'prefix', 'tag', 'search', 'order'];
const EXT: Record<string, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif', gif: 'gif', bmp: 'bmp' };

function asRequest(req: unknown, method: string): Record<string, unknown> {
	if (!isPlainObject(req)) throw invalidParam('request', `an object of parameters for ${method}`, req);
	return req;
}

/** A rejected promise for synchronous validation errors, as every call of the API answers. */
function guarded<A extends unknown[], T>(fn: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
	return (...args) => {
		try {
			return fn(...args);
		} catch (e) {
			return Promise.reject(e);
		}
	};
}

function notFound(id: string, param: string): DarkroomError {
	return new DarkroomError('not_found', `No asset with ${param} "${id}" in the library`, param);
}

function requireId(raw: unknown, param = 'id'): string {
	if (raw === undefined || raw === null) throw new DarkroomError('invalid_parameter', `Missing required parameter ${param}`, param);
	if (typeof raw !== 'string' || !isAssetId(raw)) throw invalidParam(param, 'an asset id (26 characters, as image.upload returns)', raw);
	return raw;
}

/**
 * Blob URLs of the stored files, one per file version for the life of the page, so
 * `<img src>` of a listed asset works and repeated lists do not leak URLs.
 */
class AssetUrls {
	private byId = new Map<string, { file: string; url: string; thumbFile?: string; thumbUrl?: string }>();

	async of(rec: AssetRecord): Promise<{ url: string; thumbnail_url: string | null }> {
		let e = this.byId.get(rec.id);
		if (!e || e.file !== rec.file) {
			this.revoke(rec.id);
			e = { file: rec.file, url: URL.createObjectURL(await library().original(rec)) };
			this.byId.set(rec.id, e);
		}
		if (rec.thumbnail && e.thumbFile !== rec.thumbnail.file) {
			if (e.thumbUrl) URL.revokeObjectURL(e.thumbUrl);
			const t = await library().thumbnail(rec);
			e.thumbFile = rec.thumbnail.file;
			e.thumbUrl = t ? URL.createObjectURL(t) : undefined;
		}
		return { url: e.url, thumbnail_url: e.thumbUrl ?? null };
	}

	revoke(id: string): void {
		const e = this.byId.get(id);
		if (!e) return;
		URL.revokeObjectURL(e.url);
		if (e.thumbUrl) URL.revokeObjectURL(e.thumbUrl);
		this.byId.delete(id);
	}
}

export function createLibraryApi(ctx: ApiContext): { image: Pick<import('./types').ImageApi, 'upload' | 'get' | 'list' | 'delete'>; library: LibraryApi } {
	const urls = new AssetUrls();

	async function toAsset(rec: AssetRecord): Promise<ImageAsset> {
		const { url, thumbnail_url } = await urls.of(rec);
		return {
			id: rec.id,
			url,
			// Served by the service worker from the library (works offline, and in <img src> once it controls the page).
			delivery_url: `${globalThis.location?.origin ?? ''}${cdnPath(rec.id)}`,
			mime: rec.mime,
			width: rec.width,
			height: rec.height,
			bytes: rec.bytes,
			key: rec.key,
			name: rec.name,
			folder: rec.folder,
			format: rec.format,
			etag: rec.etag,
			tags: [...rec.tags],
			created_at: rec.created_at,
			updated_at: rec.updated_at,
			thumbnail_url,
			thumbnail: rec.thumbnail ? { mime: rec.thumbnail.mime, width: rec.thumbnail.width, height: rec.thumbnail.height, bytes: rec.thumbnail.bytes } : null
		};
	}

	/** A WebP of at most THUMB_SIZE px a side, made by the same worker pipeline as image.resize. */
	async function makeThumbnail(bytes: Uint8Array): Promise<NewAsset['thumbnail']> {
		const ops = [validateDirectOp('resize', { width: THUMB_SIZE, height: THUMB_SIZE, fit: 'inside' })];
		const output = validateOutput({ format: 'webp', quality: 75 });
		const r = await ctx.pool.run<PipelineResult>('process', [{ bytes, ops, output, limits: ctx.limits(), assets: {}, nameOps: false }], [bytes.buffer]);
		return { bytes: r.bytes, mime: r.mime, width: r.width, height: r.height };
	}

	async function findAsset(req: Record<string, unknown>, method: string): Promise<AssetRecord> {
		if (req.id !== undefined && req.key !== undefined) throw new DarkroomError('invalid_parameter', `Pass either id or key to ${method}, not both`, 'key');
		if (req.key !== undefined) {
			const key = normalizeKey(req.key);
			const rec = await library().getByKey(key);
			if (!rec) throw notFound(key, 'key');
			return rec;
		}
		const id = requireId(req.id);
		const rec = await library().get(id);
		if (!rec) throw notFound(id, 'id');
		return rec;
	}

	/** `get('id')` as well as `get({ id })`: the REST path of the seed carries only the id. */
	const idRequest = (raw: unknown, method: string) => (typeof raw === 'string' ? { id: raw } : asRequest(raw, method));

	async function upload(req: UploadRequest & Record<string, unknown>): Promise<ImageAsset> {
		const limits = ctx.limits();
		const param = req.file !== undefined ? 'file' : 'image';
		const { bytes, name: refName } = await resolveImageRef(req.file ?? req.image, param, limits);
		// Validation first: a file that is not an image is refused (415/400) before anything is written.
		const meta = await ctx.pool.run<ImageMetadata>('metadata', [bytes.slice(), limits]);
		const thumbnail = await makeThumbnail(bytes.slice());
		const etag = await sha256Hex(bytes);
		const lib = library();
		const now = new Date().toISOString();
		const overwrite = req.overwrite === true;
		let key: string;
		let replaces: AssetRecord | undefined;
		if (req.key !== undefined) {
			key = normalizeKey(req.key);
			replaces = await lib.getByKey(key);
			if (replaces && !overwrite)
				throw new DarkroomError('unprocessable', `An asset with key "${key}" already exists (id ${replaces.id}); pass overwrite: true to replace it`, 'key');
		} else {
			const folder = req.folder !== undefined ? normalizeFolder(req.folder) : '';
			const given = sanitizeName(typeof req.filename === 'string' ? req.filename : (refName ?? ''));
			const wanted = joinKey(folder, given || `image-${now.slice(0, 10)}.${EXT[meta.format] ?? meta.format}`);
			normalizeKey(wanted, req.filename !== undefined ? 'filename' : 'key');
			const taken = new Set((await lib.all()).map((r) => r.key));
			replaces = overwrite ? await lib.getByKey(wanted) : undefined;
			key = overwrite ? wanted : uniqueKey(wanted, (k) => taken.has(k));
		}
		const { folder, name } = splitKey(key);
		const record: NewAsset['record'] = {
			id: replaces?.id ?? newAssetId(),
			key,
			name,
			folder,
			mime: meta.mime,
			format: meta.format,
			width: meta.width,
			height: meta.height,
			bytes: bytes.length,
			etag,
			tags: normalizeTags(req.tags),
			created_at: replaces?.created_at ?? now,
			updated_at: now
		};
		const asset: NewAsset = { record, original: bytes, thumbnail };
		if (replaces) asset.replaces = replaces;
		return toAsset(await lib.put(asset));
	}

	async function list(req: ListRequest & Record<string, unknown>): Promise<ListResponse> {
		const order: ListOrder = optionalEnum(req.order, 'order', LIST_ORDERS) ?? 'desc';
		const limit = validateLimit(req.limit);
		const after = decodeCursor(req.cursor, order);
		const folder = req.folder !== undefined ? normalizeFolder(req.folder) : undefined;
		const recursive = optionalBoolean(req.recursive, 'recursive') ?? false;
		const prefix = optionalString(req.prefix, 'prefix', 1024);
		const tag = optionalString(req.tag, 'tag', 64);
		const search = optionalString(req.search, 'search', 256)?.trim().toLowerCase();
		let records = await library().all();
		if (folder !== undefined) records = records.filter((r) => (recursive ? folder === '' || r.folder === folder || r.folder.startsWith(folder + '/') : r.folder === folder));
		if (prefix) records = records.filter((r) => r.key.startsWith(prefix.replace(/^\/+/, '')));
		if (tag) records = records.filter((r) => r.tags.includes(tag));
		if (search) records = records.filter((r) => r.key.toLowerCase().includes(search) || r.tags.some((t) => t.toLowerCase().includes(search)));
		const { page, next_cursor } = paginate(records, { order, limit, after });
		const items = await Promise.all(page.map(toAsset));
		return next_cursor ? { items, next_cursor } : { items };
	}

	function validateUpload(raw: unknown): UploadRequest & Record<string, unknown> {
		const req = asRequest(raw, 'image.upload');
		rejectUnknownKeys(req, UPLOAD_KEYS, 'image.upload');
		if (req.file !== undefined && req.image !== undefined) throw new DarkroomError('invalid_parameter', 'Pass the image as file or as image, not both', 'image');
		if (req.file === undefined && req.image === undefined) throw new DarkroomError('invalid_parameter', 'Missing required parameter file (the image to upload: a File/Blob, bytes, { url }, { base64 }, { id } or a data URL)', 'file');
		if (req.key !== undefined && (req.folder !== undefined || req.filename !== undefined))
			throw new DarkroomError('invalid_parameter', 'Pass either key, or folder and filename, not both: key already names the folder and the file', 'key');
		if (req.key !== undefined) normalizeKey(req.key);
		if (req.folder !== undefined) normalizeFolder(req.folder);
		if (req.filename !== undefined && (typeof req.filename !== 'string' || !sanitizeName(req.filename))) throw invalidParam('filename', 'a non-empty file name', req.filename);
		normalizeTags(req.tags);
		optionalBoolean(req.overwrite, 'overwrite');
		return req as UploadRequest & Record<string, unknown>;
	}

	return {
		image: {
			upload: guarded(async (raw: unknown) => {
				const req = validateUpload(raw);
				return ctx.idempotency.run('image.upload', req.idempotency_key, req, () => upload(req));
			}),
			get: guarded(async (raw: unknown) => {
				const req = idRequest(raw, 'image.get');
				rejectUnknownKeys(req, ['id', 'key'], 'image.get');
				return toAsset(await findAsset(req, 'image.get'));
			}),
			list: guarded(async (raw?: unknown) => {
				const req = raw === undefined ? {} : asRequest(raw, 'image.list');
				rejectUnknownKeys(req, LIST_KEYS, 'image.list');
				return list(req);
			}),
			delete: guarded(async (raw: unknown) => {
				const req = idRequest(raw, 'image.delete');
				rejectUnknownKeys(req, ['id', 'key', 'idempotency_key'], 'image.delete');
				return ctx.idempotency.run('image.delete', req.idempotency_key, req, async () => {
					const rec = await findAsset(req, 'image.delete');
					if (!(await library().remove(rec.id))) throw notFound(rec.id, 'id');
					urls.revoke(rec.id);
					return { ok: true as const, id: rec.id };
				});
			})
		},
		library: {
			usage: () => library().usage(),
			configure: guarded(async (raw: unknown) => {
				const req = asRequest(raw, 'library.configure');
				rejectUnknownKeys(req, ['max_bytes'], 'library.configure');
				const v = req.max_bytes;
				if (v !== null && (typeof v !== 'number' || !Number.isInteger(v) || v < 0))
					throw invalidParam('max_bytes', 'a non-negative integer number of bytes, or null for no limit of its own', v);
				library().setMaxBytes(v as number | null);
				return { max_bytes: library().getMaxBytes() };
			}),
			export: guarded(async (raw?: unknown) => {
				const req = raw === undefined ? {} : asRequest(raw, 'library.export');
				rejectUnknownKeys(req, ['ids'], 'library.export');
				let ids: string[] | undefined;
				if (req.ids !== undefined) {
					if (!Array.isArray(req.ids)) throw invalidParam('ids', 'an array of asset ids', req.ids);
					ids = req.ids.map((id, i) => requireId(id, `ids[${i}]`));
				}
				return exportLibrary(library(), ids);
			}),
			import: guarded(async (raw: unknown): Promise<ImportResult> => {
				const req = raw instanceof Blob || raw instanceof ArrayBuffer || ArrayBuffer.isView(raw) ? { file: raw } : asRequest(raw, 'library.import');
				rejectUnknownKeys(req, ['file', 'overwrite'], 'library.import');
				const overwrite = optionalBoolean(req.overwrite, 'overwrite') ?? false;
				if (req.file === undefined) throw new DarkroomError('invalid_parameter', 'Missing required parameter file (a ZIP made by library.export)', 'file');
				if (!(req.file instanceof Blob || req.file instanceof ArrayBuffer || ArrayBuffer.isView(req.file)))
					throw invalidParam('file', 'a ZIP made by library.export, as a Blob/File or bytes', req.file);
				const f = req.file as Blob | ArrayBuffer | ArrayBufferView;
				const bytes = f instanceof Blob ? new Uint8Array(await f.arrayBuffer()) : f instanceof ArrayBuffer ? new Uint8Array(f) : new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
				return importLibrary(library(), bytes, { overwrite, makeThumbnail: (b) => makeThumbnail(b).catch(() => null) });
			})
		}
	};
}
