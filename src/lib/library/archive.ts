import { DarkroomError } from '../api/errors';
import { isAssetId, sha256Hex } from './ids';
import { normalizeKey, normalizeTags, splitKey } from './keys';
import type { Library, NewAsset } from './store';
import type { AssetRecord } from './record';
import { unzip, zipBlob, ZipError, type ZipEntry } from './zip';

/**
 * Export and import of the whole library as one ZIP, so nothing is ever trapped in
 * this browser: `manifest.json` (every record as stored, less the OPFS paths), the
 * originals under `originals/<key>` (the folder tree a person expects to see when
 * opening the ZIP) and the thumbnails under `thumbnails/<id>.<ext>`.
 */

export const MANIFEST = 'manifest.json';
export const FORMAT = 'darkroom-library';

export type ManifestAsset = Omit<AssetRecord, 'file' | 'thumbnail'> & {
	path: string;
	thumbnail: { path: string; mime: string; width: number; height: number; bytes: number } | null;
};

export interface Manifest {
	format: typeof FORMAT;
	version: 1;
	exported_at: string;
	count: number;
	assets: ManifestAsset[];
}

export interface ImportConflict {
	id: string;
	key: string;
	/** id_exists: the id holds different bytes · key_taken: another asset has this key · damaged: bytes do not match the manifest */
	reason: 'id_exists' | 'key_taken' | 'damaged';
	message: string;
}

export interface ImportResult {
	/** Ids stored by this import (new, or replaced with overwrite). */
	imported: string[];
	/** Ids already present with the same bytes and key: nothing to do. */
	unchanged: string[];
	conflicts: ImportConflict[];
}

const THUMB_EXT: Record<string, string> = { 'image/webp': 'webp', 'image/jpeg': 'jpg', 'image/png': 'png' };

function recordFields(r: AssetRecord): Omit<AssetRecord, 'file' | 'thumbnail'> {
	const { file: _f, thumbnail: _t, ...rest } = r;
	return rest;
}

export async function exportLibrary(lib: Library, ids?: readonly string[]): Promise<Blob> {
	let records = (await lib.all()).sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : 1));
	if (ids) {
		const want = new Set(ids);
		records = records.filter((r) => want.has(r.id));
		const missing = ids.filter((id) => !records.some((r) => r.id === id));
		if (missing.length) throw new DarkroomError('not_found', `No asset with id ${missing.map((m) => `"${m}"`).join(', ')} in the library`, 'ids');
	}
	const entries: ZipEntry[] = [];
	const assets: ManifestAsset[] = [];
	for (const r of records) {
		const modified = new Date(r.updated_at);
		const path = `originals/${r.key}`;
		entries.push({ name: path, data: new Uint8Array(await (await lib.original(r)).arrayBuffer()), modified });
		let thumbnail: ManifestAsset['thumbnail'] = null;
		const t = await lib.thumbnail(r);
		if (t && r.thumbnail) {
			const tpath = `thumbnails/${r.id}.${THUMB_EXT[r.thumbnail.mime] ?? 'bin'}`;
			entries.push({ name: tpath, data: new Uint8Array(await t.arrayBuffer()), modified });
			thumbnail = { path: tpath, mime: r.thumbnail.mime, width: r.thumbnail.width, height: r.thumbnail.height, bytes: r.thumbnail.bytes };
		}
		assets.push({ ...recordFields(r), path, thumbnail });
	}
	const manifest: Manifest = { format: FORMAT, version: 1, exported_at: new Date().toISOString(), count: assets.length, assets };
	entries.unshift({ name: MANIFEST, data: new TextEncoder().encode(JSON.stringify(manifest, null, 2)) });
	return zipBlob(entries);
}

function notAnExport(why: string): DarkroomError {
	return new DarkroomError('invalid_parameter', `Expected a ZIP made by library.export for file, but ${why}`, 'file');
}

function parseManifest(entries: Map<string, Uint8Array>): Manifest {
	const raw = entries.get(MANIFEST);
	if (!raw) throw notAnExport(`it has no ${MANIFEST}`);
	let m: Manifest;
	try {
		m = JSON.parse(new TextDecoder().decode(raw));
	} catch {
		throw notAnExport(`its ${MANIFEST} is not valid JSON`);
	}
	if (m?.format !== FORMAT || !Array.isArray(m.assets)) throw notAnExport(`its ${MANIFEST} is not a "${FORMAT}" manifest`);
	if (m.version !== 1) throw notAnExport(`its manifest has version ${String(m.version)}; this Darkroom reads version 1`);
	return m;
}

/** Checks one manifest entry's fields; the message names the entry and the field. */
function checkAsset(a: ManifestAsset, i: number): void {
	const where = `manifest assets[${i}]`;
	const fail = (field: string) => notAnExport(`${where}.${field} is missing or malformed`);
	if (typeof a?.id !== 'string' || !isAssetId(a.id)) throw fail('id');
	try {
		if (normalizeKey(a.key) !== a.key) throw fail('key');
		normalizeTags(a.tags);
	} catch {
		throw fail('key or tags');
	}
	const { folder, name } = splitKey(a.key);
	if (a.folder !== folder || a.name !== name) throw fail('folder/name');
	for (const f of ['width', 'height', 'bytes'] as const) if (!Number.isInteger(a[f]) || a[f] < 0) throw fail(f);
	for (const f of ['mime', 'format', 'created_at', 'updated_at', 'path'] as const) if (typeof a[f] !== 'string') throw fail(f);
	if (!/^[0-9a-f]{64}$/.test(a.etag)) throw fail('etag');
}

export async function importLibrary(
	lib: Library,
	bytes: Uint8Array,
	opts: { overwrite: boolean; makeThumbnail: (original: Uint8Array) => Promise<NewAsset['thumbnail']> }
): Promise<ImportResult> {
	let zip: ZipEntry[];
	try {
		zip = unzip(bytes);
	} catch (e) {
		if (e instanceof ZipError) throw notAnExport(e.message.charAt(0).toLowerCase() + e.message.slice(1));
		throw e;
	}
	const entries = new Map(zip.map((e) => [e.name, e.data]));
	const manifest = parseManifest(entries);
	manifest.assets.forEach(checkAsset);
	const result: ImportResult = { imported: [], unchanged: [], conflicts: [] };
	for (const a of manifest.assets) {
		const conflict = (reason: ImportConflict['reason'], message: string) => result.conflicts.push({ id: a.id, key: a.key, reason, message });
		const data = entries.get(a.path);
		if (!data || data.length !== a.bytes || (await sha256Hex(data)) !== a.etag) {
			conflict('damaged', `The bytes of ${a.path} do not match the manifest's size and SHA-256: not imported`);
			continue;
		}
		const existing = await lib.get(a.id);
		if (existing && existing.etag === a.etag && existing.key === a.key) {
			result.unchanged.push(a.id);
			continue;
		}
		if (existing && !opts.overwrite) {
			conflict('id_exists', `Asset ${a.id} already exists with ${existing.etag === a.etag ? `the key "${existing.key}"` : 'different bytes'}; import with overwrite: true to replace it`);
			continue;
		}
		const byKey = await lib.getByKey(a.key);
		if (byKey && byKey.id !== a.id) {
			conflict('key_taken', `The key "${a.key}" is used by another asset (${byKey.id}); not imported`);
			continue;
		}
		const t = a.thumbnail;
		// Only the known fields: a hand-edited manifest cannot smuggle others into the store.
		const fields = { id: a.id, key: a.key, name: a.name, folder: a.folder, mime: a.mime, format: a.format, width: a.width, height: a.height, bytes: a.bytes, etag: a.etag, tags: [...a.tags], created_at: a.created_at, updated_at: a.updated_at };
		const tdata = t ? entries.get(t.path) : undefined;
		const thumbnail = t && tdata ? { bytes: tdata, mime: t.mime, width: t.width, height: t.height } : await opts.makeThumbnail(data.slice());
		const asset: NewAsset = { record: fields, original: data, thumbnail };
		if (existing) asset.replaces = existing;
		await lib.put(asset);
		result.imported.push(a.id);
	}
	return result;
}
