import { DarkroomError } from '../api/errors';
import { allRecords, committed, openDb, recordById, recordByKey, request } from './db';
import { listFiles, nonce, readFile, removeDir, removeDirIfEmpty, removeFile, writeFile } from './files';
import { ASSETS, type AssetRecord, type ThumbnailInfo } from './record';

/**
 * The library's one writer. A store is three steps — bytes to new OPFS files, the
 * record in one IndexedDB transaction, then the old files (if any) removed — and the
 * transaction is the commit point: until it commits no record points at the new
 * files, and on any failure they are removed again, so a failed write never leaves a
 * half-stored asset. Files that a crash orphaned are swept on the next start.
 */

export interface NewAsset {
	record: Omit<AssetRecord, 'file' | 'thumbnail'>;
	original: Uint8Array;
	thumbnail: { bytes: Uint8Array; mime: string; width: number; height: number } | null;
	/** The stored record this write replaces (same id): it must still be current at commit. */
	replaces?: AssetRecord;
}

export interface LibraryUsage {
	count: number;
	/** Bytes of the originals. */
	bytes: number;
	thumbnail_bytes: number;
	/** Bytes of every file the library holds in OPFS (originals, thumbnails, anything orphaned). */
	stored_bytes: number;
	files: number;
	/** `navigator.storage.estimate()` for the whole site (models and caches included); null when not reported. */
	quota: number | null;
	usage: number | null;
	/** The library's own limit set with `library.configure({ max_bytes })`; null: only the browser's quota. */
	max_bytes: number | null;
}

const WRITE_LOCK = 'darkroom-library-write';

function isQuotaError(e: unknown): boolean {
	return (e as DOMException)?.name === 'QuotaExceededError';
}

async function estimate(): Promise<{ quota: number | null; usage: number | null }> {
	try {
		const e = await navigator.storage?.estimate?.();
		return { quota: e?.quota ?? null, usage: e?.usage ?? null };
	} catch {
		return { quota: null, usage: null };
	}
}

/** Runs `fn` holding the write lock (shared: writers run side by side; the sweep takes it alone). */
function withLock<T>(mode: 'shared' | 'exclusive', fn: () => Promise<T>): Promise<T> {
	if (typeof navigator === 'undefined' || !navigator.locks) return fn();
	return navigator.locks.request(WRITE_LOCK, { mode }, fn) as Promise<T>;
}

/** The record is there but the browser dropped its bytes (site data partly cleared): say so, by id. */
function missing(e: unknown, rec: AssetRecord): unknown {
	if ((e as DOMException)?.name !== 'NotFoundError') return e;
	return new DarkroomError('not_found', `The stored bytes of asset ${rec.id} (${rec.key}) are missing from this browser's storage; delete the asset and upload it again, or import it from an export`, 'id');
}

export class Library {
	private maxBytes: number | null = null;
	private swept: Promise<void> | null = null;

	setMaxBytes(n: number | null): void {
		this.maxBytes = n;
	}

	getMaxBytes(): number | null {
		return this.maxBytes;
	}

	/** Once per page: removes files no record points at (left by a tab that closed mid-write). */
	private ready(): Promise<void> {
		this.swept ??= withLock('exclusive', () => this.sweep()).catch(() => {});
		return this.swept;
	}

	private async sweep(): Promise<void> {
		const referenced = new Set<string>();
		for (const r of await allRecords()) {
			referenced.add(r.file);
			if (r.thumbnail) referenced.add(r.thumbnail.file);
		}
		const dirs = new Set<string>();
		for (const path of (await listFiles()).keys()) {
			dirs.add(path.split('/')[0]);
			if (!referenced.has(path)) await removeFile(path);
		}
		for (const d of dirs) await removeDirIfEmpty(d);
	}

	async all(): Promise<AssetRecord[]> {
		await this.ready();
		return allRecords();
	}

	async get(id: string): Promise<AssetRecord | undefined> {
		await this.ready();
		return recordById(id);
	}

	async getByKey(key: string): Promise<AssetRecord | undefined> {
		await this.ready();
		return recordByKey(key);
	}

	async original(rec: AssetRecord): Promise<File> {
		return readFile(rec.file).catch((e) => Promise.reject(missing(e, rec)));
	}

	async thumbnail(rec: AssetRecord): Promise<File | null> {
		return rec.thumbnail ? readFile(rec.thumbnail.file).catch((e) => Promise.reject(missing(e, rec))) : null;
	}

	async put(asset: NewAsset): Promise<AssetRecord> {
		await this.ready();
		return withLock('shared', () => this.write(asset));
	}

	private async write({ record, original, thumbnail, replaces }: NewAsset): Promise<AssetRecord> {
		const id = record.id;
		const needed = original.length + (thumbnail?.bytes.length ?? 0);
		const records = await allRecords();
		const storedBytes = records.reduce((n, r) => n + r.bytes + (r.thumbnail?.bytes ?? 0), 0);
		const est = await estimate();
		if (est.quota !== null && est.usage !== null && est.quota - est.usage < needed) throw this.full(needed, est.quota - est.usage, 'the browser’s storage quota for this site');

		const tag = nonce();
		const file = `${id}/o-${tag}`;
		const thumb: ThumbnailInfo | null = thumbnail ? { file: `${id}/t-${tag}`, mime: thumbnail.mime, width: thumbnail.width, height: thumbnail.height, bytes: thumbnail.bytes.length } : null;
		const full: AssetRecord = { ...record, file, thumbnail: thumb };
		const written: string[] = [];
		let accounted = storedBytes;
		// The configured limit acts as a quota would: on the write that crosses it.
		const write = async (path: string, bytes: Uint8Array) => {
			written.push(path);
			if (this.maxBytes !== null && accounted + bytes.length > this.maxBytes)
				throw new DOMException(`The library limit of ${this.maxBytes} bytes would be exceeded`, 'QuotaExceededError');
			await writeFile(path, bytes);
			accounted += bytes.length;
		};
		try {
			await write(file, original);
			if (thumbnail && thumb) await write(thumb.file, thumbnail.bytes);
			const db = await openDb();
			const tx = db.transaction(ASSETS, 'readwrite');
			const done = committed(tx);
			done.catch(() => {}); // observed below; avoids an unhandled rejection when a request fails first
			const store = tx.objectStore(ASSETS);
			const current = (await request(store.get(id))) as AssetRecord | undefined;
			if (replaces ? current?.file !== replaces.file : current !== undefined) {
				tx.abort();
				throw new DarkroomError('unprocessable', `Asset ${id} was changed by another write at the same time; try again`, 'id');
			}
			await request(store.put(full));
			await done;
		} catch (e) {
			for (const path of written) await removeFile(path).catch(() => {});
			if (!replaces) await removeDirIfEmpty(id).catch(() => {});
			if (isQuotaError(e)) {
				const limit = this.maxBytes !== null ? Math.max(0, this.maxBytes - storedBytes) : null;
				const after = await estimate();
				const free = after.quota !== null && after.usage !== null ? Math.max(0, after.quota - after.usage) : null;
				const available = limit !== null && (free === null || limit < free) ? limit : free;
				throw this.full(needed, available, limit !== null && available === limit ? `the library limit of ${this.maxBytes} bytes` : 'the browser’s storage quota for this site');
			}
			if ((e as DOMException)?.name === 'ConstraintError')
				throw new DarkroomError('unprocessable', `The key "${record.key}" is already used by another asset`, 'key');
			throw e;
		}
		if (replaces) {
			// Committed: the old version's files are garbage now. A failure here only leaves
			// files for the next sweep; the asset itself is whole.
			await removeFile(replaces.file).catch(() => {});
			if (replaces.thumbnail) await removeFile(replaces.thumbnail.file).catch(() => {});
		}
		return full;
	}

	private full(needed: number, available: number | null, what: string): DarkroomError {
		const avail = available === null ? 'an unknown number of bytes are' : `only ${available} bytes are`;
		return new DarkroomError('too_large', `Not enough storage to keep this image in the library: it needs ${needed} bytes but ${avail} available under ${what}. Delete assets or export the library to make room.`, 'file');
	}

	/** False when there was no such asset. */
	async remove(id: string): Promise<boolean> {
		await this.ready();
		return withLock('shared', async () => {
			const db = await openDb();
			const tx = db.transaction(ASSETS, 'readwrite');
			const done = committed(tx);
			const store = tx.objectStore(ASSETS);
			const current = (await request(store.get(id))) as AssetRecord | undefined;
			if (!current) {
				await done;
				return false;
			}
			await request(store.delete(id));
			await done;
			await removeDir(id).catch(() => {});
			return true;
		});
	}

	async usage(): Promise<LibraryUsage> {
		await this.ready();
		const records = await allRecords();
		const files = await listFiles();
		const est = await estimate();
		return {
			count: records.length,
			bytes: records.reduce((n, r) => n + r.bytes, 0),
			thumbnail_bytes: records.reduce((n, r) => n + (r.thumbnail?.bytes ?? 0), 0),
			stored_bytes: [...files.values()].reduce((n, b) => n + b, 0),
			files: files.size,
			quota: est.quota,
			usage: est.usage,
			max_bytes: this.maxBytes
		};
	}
}

let instance: Library | null = null;

/** The page's library (one per page; tabs share the data through IndexedDB and OPFS). */
export function library(): Library {
	instance ??= new Library();
	return instance;
}
