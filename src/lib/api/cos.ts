/**
 * Seed 003 (Cloud Infinite persistent processing, Pic-Operations) on the device library:
 * `cos.put_object` stores an original under an object key and writes up to 5 processed
 * copies beside it; `cos.image_process` does the same for an object already stored.
 * Every rule is checked before anything is written, so a bad rule stores nothing; a rule
 * that fails while rendering names itself, and the original stays stored.
 *
 * Response (seed 003): `OriginalInfo { Key, Location, ETag, ImageInfo? }` and
 * `ProcessResults { Object: [{ Key, Location, Format, Width, Height, Size, Quality, ETag, FrameCount }] }`.
 * Numbers are numbers (the seed's table types them Int); ETags are quoted hex SHA-256.
 */
import { DarkroomError, invalidParam } from './errors';
import { isPlainObject, rejectUnknownKeys } from '../pipeline/validate';
import { parseCosRule, resolveCosRule, type CosRule } from '../pipeline/cos-rule';
import { transformToRequest } from '../pipeline/transform';
import { lookupSnapshot } from '../library/transformations';
import { cosPath } from '../delivery/urls';
import type { Darkroom, ImageAsset, UploadRequest } from './types';
import { allFolderRules, deleteFolderRules, folderRules, saveFolderRules } from '../library/folder-rules';
import { DEFAULT_QUALITY } from '../codecs/types';

export const MAX_RULES = 5;

export interface PicOperations {
	is_pic_info?: 0 | 1;
	rules?: { bucket?: string; fileid: string; rule: string }[];
}

export interface CosImageInfo {
	Format: string;
	Width: number;
	Height: number;
	Quality: number;
	Ave: string;
	Orientation: number;
	FrameCount: number;
}

export interface CosProcessResult {
	OriginalInfo: { Key: string; Location: string; ETag: string; ImageInfo?: CosImageInfo };
	ProcessResults: {
		Object: { Key: string; Location: string; Format: string; Width: number; Height: number; Size: number; Quality: number; ETag: string; FrameCount: number }[];
	};
}

export interface FolderRulesView {
	folder: string;
	pic_operations: PicOperations;
	updated_at: string;
}

export interface CosApi {
	put_object(req: { Key?: string; key?: string; Body?: unknown; body?: unknown; PicOperations?: string | PicOperations; pic_operations?: string | PicOperations; Bucket?: string }): Promise<CosProcessResult>;
	image_process(req: { Key?: string; key?: string; PicOperations?: string | PicOperations; pic_operations?: string | PicOperations; Bucket?: string }): Promise<CosProcessResult>;
	/** Darkroom: rules that run on every upload into `folder` (not its sub-folders). */
	put_folder_rules(req: { folder: string; pic_operations: string | PicOperations }): Promise<FolderRulesView>;
	get_folder_rules(req: { folder: string } | string): Promise<FolderRulesView>;
	list_folder_rules(): Promise<{ items: FolderRulesView[] }>;
	delete_folder_rules(req: { folder: string } | string): Promise<{ ok: true; folder: string }>;
}

/** What an upload into a folder with rules answers besides the asset. */
export interface FolderRulesOutcome {
	folder: string;
	ProcessResults?: CosProcessResult['ProcessResults'];
	error?: { code: string; status: number; message: string; param?: string };
}

interface CheckedRule {
	key: string;
	rule: CosRule;
	text: string;
}

const pick = (req: Record<string, unknown>, a: string, b: string) => (req[a] !== undefined ? [req[a], a] : [req[b], b]) as [unknown, string];

function objectKey(v: unknown, param: string): string {
	if (typeof v !== 'string' || v.trim() === '' || v.length > 1024) throw invalidParam(param, 'an object key such as "photos/cat.jpg"', v);
	const key = v.replace(/^\/+/, '');
	if (key === '' || key.endsWith('/') || key.split('/').some((s) => s === '' || s === '.' || s === '..'))
		throw invalidParam(param, 'an object key of non-empty parts, not ending in "/" and without "." or ".." parts', v);
	return key;
}

/**
 * fileid: absolute with a leading "/", else relative to the original's folder (seed 003).
 * `${InputName}` stands for the original's name without its extension (as Cloud Infinite's
 * workflows write it), so rules saved on a folder give each upload its own outputs.
 */
export function resultKey(originalKey: string, fileid: string, param: string): string {
	if (typeof fileid !== 'string' || fileid.trim() === '') throw invalidParam(param, 'a file name or path for the result, e.g. "thumb.webp" or "/thumbs/cat.webp"', fileid);
	const base = originalKey.slice(originalKey.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
	fileid = fileid.replaceAll('${InputName}', base);
	if (fileid.startsWith('/')) return objectKey(fileid, param);
	const folder = originalKey.includes('/') ? originalKey.slice(0, originalKey.lastIndexOf('/') + 1) : '';
	return objectKey(folder + fileid, param);
}

/** Parses Pic-Operations (a JSON string or object) and every rule in it, before any work. */
export function checkPicOperations(raw: unknown, param: string, originalKey: string): { info: boolean; rules: CheckedRule[] } {
	let ops: unknown = raw;
	if (typeof raw === 'string') {
		try {
			ops = JSON.parse(raw);
		} catch {
			throw invalidParam(param, 'JSON such as {"is_pic_info":1,"rules":[{"fileid":"thumb.png","rule":"imageView2/format/png"}]}', raw);
		}
	}
	if (ops === undefined || ops === null) return { info: false, rules: [] };
	if (!isPlainObject(ops)) throw invalidParam(param, 'an object { is_pic_info, rules }', ops);
	for (const k of Object.keys(ops)) if (k !== 'is_pic_info' && k !== 'rules') throw invalidParam(`${param}.${k}`, 'is_pic_info or rules', k);
	const infoRaw = ops.is_pic_info ?? 0;
	if (infoRaw !== 0 && infoRaw !== 1 && infoRaw !== '0' && infoRaw !== '1') throw invalidParam(`${param}.is_pic_info`, '0 or 1', infoRaw);
	const list = ops.rules ?? [];
	if (!Array.isArray(list)) throw invalidParam(`${param}.rules`, 'an array of { fileid, rule }', list);
	if (list.length > MAX_RULES) throw invalidParam(`${param}.rules`, `at most ${MAX_RULES} rules`, `${list.length} rules`);
	const seen = new Set<string>();
	const rules = list.map((r, i) => {
		const where = `${param}.rules[${i}]`;
		if (!isPlainObject(r)) throw invalidParam(where, 'an object { fileid, rule }', r);
		for (const k of Object.keys(r)) if (!['fileid', 'rule', 'bucket'].includes(k)) throw invalidParam(`${where}.${k}`, 'fileid, rule or bucket', k);
		const key = resultKey(originalKey, r.fileid as string, `${where}.fileid`);
		if (seen.has(key)) throw invalidParam(`${where}.fileid`, 'a result key used by one rule only', key);
		seen.add(key);
		return { key, rule: parseCosRule(r.rule, `${where}.rule`), text: r.rule as string };
	});
	return { info: infoRaw === 1 || infoRaw === '1', rules };
}

const location = (key: string) => `${globalThis.location?.host ?? 'localhost'}${cosPath(key)}`;

/**
 * @param upload the library's own upload, which does not run folder rules (so outputs written
 *   into a folder with rules do not set them off again).
 */
export function createCosApi(api: () => Darkroom, upload: (req: UploadRequest) => Promise<ImageAsset>): CosApi & { afterUpload(asset: ImageAsset): Promise<FolderRulesOutcome | undefined> } {
	async function imageInfo(asset: ImageAsset): Promise<CosImageInfo> {
		const m = await api().image.metadata({ image: { id: asset.id } });
		return {
			Format: String(m.format).toUpperCase(),
			Width: m.width,
			Height: m.height,
			Quality: m.jpeg_quality ?? 100,
			Ave: m.Ave,
			Orientation: m.orientation,
			FrameCount: m.frames
		};
	}

	async function run(original: ImageAsset, checked: { info: boolean; rules: CheckedRule[] }): Promise<CosProcessResult> {
		const d = api();
		const lookup = await lookupSnapshot();
		const results: CosProcessResult['ProcessResults']['Object'] = [];
		let originalEtag = `"${original.etag}"`;
		for (const [i, r] of checked.rules.entries()) {
			const where = `rules[${i}].rule`;
			let stored: ImageAsset;
			let quality: number;
			try {
				const part = r.rule.repair
					? { ops: [] }
					: resolveCosRule(r.rule, original.width, original.height, (name) => {
							if (lookup(name) === undefined) throw new DarkroomError('not_found', `No named transformation "${name}" for style/${name}`, where);
							return transformToRequest(`t_${name}`, lookup, where);
						});
				// ci-process=ImageRepair (seed 002) as a rule: the repair, else the steps.
				const out = r.rule.repair
					? await d.repair.image_repair({ image: { id: original.id }, ...r.rule.repair } as never)
					: await d.image.process({ image: { id: original.id }, ops: part.ops as never, ...(part.format ? { format: part.format } : {}), ...(part.quality !== undefined ? { quality: part.quality } : {}) });
				const bytes = await d.fetchBytes(out.image_url);
				d.release(out.image_url);
				stored = await upload({ file: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: out.mime }), key: r.key, overwrite: true });
				const fmt = stored.format as keyof typeof DEFAULT_QUALITY;
				quality = part.quality ?? (fmt in DEFAULT_QUALITY ? DEFAULT_QUALITY[fmt] : 100);
			} catch (e) {
				if (!DarkroomError.is(e)) throw e;
				const err = e as DarkroomError;
				throw new DarkroomError(err.code, `${where} "${r.text}": ${err.message} (the original is stored as ${original.key})`, where);
			}
			if (stored.key === original.key) originalEtag = `"${stored.etag}"`;
			results.push({ Key: stored.key, Location: location(stored.key), Format: stored.format, Width: stored.width, Height: stored.height, Size: stored.bytes, Quality: quality, ETag: `"${stored.etag}"`, FrameCount: 1 });
		}
		const OriginalInfo: CosProcessResult['OriginalInfo'] = { Key: original.key, Location: location(original.key), ETag: originalEtag };
		if (checked.info) OriginalInfo.ImageInfo = await imageInfo(original);
		return { OriginalInfo, ProcessResults: { Object: results } };
	}

	const call = <T>(work: () => Promise<T>): Promise<T> => {
		try {
			return work();
		} catch (e) {
			return Promise.reject(e);
		}
	};

	function folderOf(raw: unknown, param = 'folder'): string {
		const v = typeof raw === 'string' ? raw : isPlainObject(raw) ? raw.folder : undefined;
		if (typeof v !== 'string') throw invalidParam(param, 'a folder such as "photos/2024" ("" for the top level)', v);
		const f = v.replace(/^\/+|\/+$/g, '');
		if (f !== '' && f.split('/').some((p) => p === '' || p === '.' || p === '..')) throw invalidParam(param, 'a folder of non-empty parts without "." or ".."', v);
		return f;
	}

	const viewOf = (r: { folder: string; pic_operations: PicOperations; updated_at: string }): FolderRulesView => ({ folder: r.folder, pic_operations: r.pic_operations, updated_at: r.updated_at });

	return {
		async afterUpload(asset: ImageAsset): Promise<FolderRulesOutcome | undefined> {
			const saved = await folderRules(asset.folder);
			if (!saved) return undefined;
			try {
				const checked = checkPicOperations(saved.pic_operations, 'pic_operations', asset.key);
				const r = await run(asset, { ...checked, info: false });
				return { folder: saved.folder, ProcessResults: r.ProcessResults };
			} catch (e) {
				const err = DarkroomError.is(e) ? (e as DarkroomError) : new DarkroomError('internal', e instanceof Error ? e.message : String(e));
				return { folder: saved.folder, error: { code: err.code, status: err.status, message: err.message, ...(err.param ? { param: err.param } : {}) } };
			}
		},
		put_folder_rules: (raw) =>
			call(async () => {
				if (!isPlainObject(raw)) throw invalidParam('request', 'an object { folder, pic_operations }', raw);
				const folder = folderOf(raw);
				const req = raw as Record<string, unknown>;
				rejectUnknownKeys(req, ['folder', 'pic_operations', 'PicOperations'], 'cos.put_folder_rules');
				const opsRaw = req.pic_operations ?? req.PicOperations;
				const param = req.pic_operations !== undefined ? 'pic_operations' : 'PicOperations';
				// Checked against a sample key in the folder: fileids and rules must be valid for any name.
				const checked = checkPicOperations(opsRaw, param, folder ? `${folder}/x.jpg` : 'x.jpg');
				if (checked.rules.length === 0) throw new DarkroomError('invalid_parameter', `${param} needs at least one rule`, param);
				const parsed = (typeof opsRaw === 'string' ? JSON.parse(opsRaw) : opsRaw) as PicOperations;
				const rec = { folder, pic_operations: { ...(parsed.is_pic_info !== undefined ? { is_pic_info: parsed.is_pic_info } : {}), rules: (parsed.rules ?? []).map((r) => ({ fileid: r.fileid, rule: r.rule })) }, updated_at: new Date().toISOString() };
				await saveFolderRules(rec);
				return viewOf(rec);
			}),
		get_folder_rules: (raw) =>
			call(async () => {
				const folder = folderOf(raw);
				const r = await folderRules(folder);
				if (!r) throw new DarkroomError('not_found', `No rules are saved on folder "${folder}"`, 'folder');
				return viewOf(r);
			}),
		list_folder_rules: () => call(async () => ({ items: (await allFolderRules()).map(viewOf) })),
		delete_folder_rules: (raw) =>
			call(async () => {
				const folder = folderOf(raw);
				if (!(await deleteFolderRules(folder))) throw new DarkroomError('not_found', `No rules are saved on folder "${folder}"`, 'folder');
				return { ok: true as const, folder };
			}),
		put_object: (raw) =>
			call(async () => {
				if (!isPlainObject(raw)) throw invalidParam('request', 'an object { Key, Body, PicOperations }', raw);
				const [keyRaw, keyParam] = pick(raw, 'Key', 'key');
				const [body, bodyParam] = pick(raw, 'Body', 'body');
				const [opsRaw, opsParam] = pick(raw, 'PicOperations', 'pic_operations');
				if (keyRaw === undefined) throw new DarkroomError('invalid_parameter', 'Missing required parameter Key (the object key, e.g. "photos/cat.jpg")', 'Key');
				if (body === undefined || body === null) throw new DarkroomError('invalid_parameter', 'Missing required parameter Body (the image)', 'Body');
				const key = objectKey(keyRaw, keyParam);
				const checked = checkPicOperations(opsRaw, opsParam, key);
				let original: ImageAsset;
				try {
					original = await upload({ file: body as never, key, overwrite: true });
				} catch (e) {
					// The upload's own errors name `file`; here the parameter is Body.
					if (DarkroomError.is(e) && (e as DarkroomError).param === 'file') {
						const err = e as DarkroomError;
						throw new DarkroomError(err.code, err.message, bodyParam);
					}
					throw e;
				}
				return run(original, checked);
			}),
		image_process: (raw) =>
			call(async () => {
				if (!isPlainObject(raw)) throw invalidParam('request', 'an object { Key, PicOperations }', raw);
				const [keyRaw, keyParam] = pick(raw, 'Key', 'key');
				const [opsRaw, opsParam] = pick(raw, 'PicOperations', 'pic_operations');
				if (keyRaw === undefined) throw new DarkroomError('invalid_parameter', 'Missing required parameter Key (the stored object to process)', 'Key');
				const key = objectKey(keyRaw, keyParam);
				const checked = checkPicOperations(opsRaw, opsParam, key);
				if (checked.rules.length === 0) throw new DarkroomError('invalid_parameter', `${opsParam} needs at least one rule for cos.image_process`, opsParam);
				let original: ImageAsset;
				try {
					original = await api().image.get({ key });
				} catch (e) {
					if (DarkroomError.is(e) && (e as DarkroomError).status === 404) throw new DarkroomError('not_found', `No object with key "${key}" in the library`, keyParam);
					throw e;
				}
				return run(original, checked);
			})
	};
}
