/**
 * Processing rules saved on a library folder (seed 003's Pic-Operations, run on every
 * import into that folder). Kept in their own IndexedDB database, keyed by folder.
 */
import { committed, databaseOpener, request } from './db';

export interface FolderRules {
	/** '' is the top level. */
	folder: string;
	/** As given (validated when saved): { is_pic_info?, rules: [{ fileid, rule }] }. */
	pic_operations: { is_pic_info?: 0 | 1; rules: { fileid: string; rule: string }[] };
	updated_at: string;
}

const DB = 'darkroom-folder-rules';
const STORE = 'rules';
const open = databaseOpener(DB, 1, (db) => {
	db.createObjectStore(STORE, { keyPath: 'folder' });
});

export async function folderRules(folder: string): Promise<FolderRules | undefined> {
	const db = await open();
	return request(db.transaction(STORE).objectStore(STORE).get(folder) as IDBRequest<FolderRules | undefined>);
}

export async function allFolderRules(): Promise<FolderRules[]> {
	const db = await open();
	return request(db.transaction(STORE).objectStore(STORE).getAll() as IDBRequest<FolderRules[]>);
}

export async function saveFolderRules(r: FolderRules): Promise<void> {
	const db = await open();
	const tx = db.transaction(STORE, 'readwrite');
	tx.objectStore(STORE).put(r);
	await committed(tx);
}

export async function deleteFolderRules(folder: string): Promise<boolean> {
	const db = await open();
	const tx = db.transaction(STORE, 'readwrite');
	const store = tx.objectStore(STORE);
	const had = (await request(store.getKey(folder))) !== undefined;
	if (had) store.delete(folder);
	await committed(tx);
	return had;
}
