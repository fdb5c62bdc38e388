import { ASSETS, DB_NAME, DB_VERSION, type AssetRecord } from './record';

/**
 * A thin promise layer over IndexedDB (the `idb` package is not a dependency). One
 * object store of records keyed by id, with a unique index on `key`: IndexedDB itself
 * refuses two assets with the same object key, even from two tabs at once.
 */

export function request<T>(req: IDBRequest<T>): Promise<T> {
	return new Promise((resolve, reject) => {
		req.onsuccess = () => resolve(req.result);
		req.onerror = () => reject(req.error);
	});
}

/** Resolves when the transaction commits; rejects when it aborts (with the cause). */
export function committed(tx: IDBTransaction): Promise<void> {
	return new Promise((resolve, reject) => {
		tx.oncomplete = () => resolve();
		tx.onerror = () => reject(tx.error);
		tx.onabort = () => reject(tx.error ?? new DOMException('Transaction aborted', 'AbortError'));
	});
}

/** The library's records: one store keyed by id, with a unique index on the object key. */
export const openDb = databaseOpener(DB_NAME, DB_VERSION, (db) => {
	if (!db.objectStoreNames.contains(ASSETS)) db.createObjectStore(ASSETS, { keyPath: 'id' }).createIndex('key', 'key', { unique: true });
});

export async function allRecords(): Promise<AssetRecord[]> {
	const db = await openDb();
	return request(db.transaction(ASSETS).objectStore(ASSETS).getAll() as IDBRequest<AssetRecord[]>);
}

export async function recordById(id: string): Promise<AssetRecord | undefined> {
	const db = await openDb();
	return request(db.transaction(ASSETS).objectStore(ASSETS).get(id) as IDBRequest<AssetRecord | undefined>);
}

export async function recordByKey(key: string): Promise<AssetRecord | undefined> {
	const db = await openDb();
	return request(db.transaction(ASSETS).objectStore(ASSETS).index('key').get(key) as IDBRequest<AssetRecord | undefined>);
}


/**
 * A cached opener for one of Darkroom's smaller IndexedDB databases (transformations, batch
 * jobs, folder rules, keys). When another tab upgrades the schema, this connection closes
 * and the next call opens afresh, so neither tab blocks the other.
 */
export function databaseOpener(name: string, version: number, upgrade: (db: IDBDatabase, oldVersion: number) => void): () => Promise<IDBDatabase> {
	let opening: Promise<IDBDatabase> | null = null;
	return () => {
		opening ??= new Promise<IDBDatabase>((resolve, reject) => {
			const req = indexedDB.open(name, version);
			req.onupgradeneeded = (e) => upgrade(req.result, e.oldVersion);
			req.onsuccess = () => {
				const db = req.result;
				db.onversionchange = () => {
					db.close();
					opening = null;
				};
				db.onclose = () => (opening = null);
				resolve(db);
			};
			req.onerror = () => {
				opening = null;
				reject(req.error);
			};
			req.onblocked = () => {
				opening = null;
				reject(new DOMException(`The ${name} database is open in an older version in another tab; close that tab`, 'InvalidStateError'));
			};
		});
		return opening;
	};
}
