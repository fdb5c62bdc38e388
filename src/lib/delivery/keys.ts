/**
 * The device's signing key for signed delivery URLs: generated once, non-extractable, kept
 * in IndexedDB. The page creates it on the first signed_url; the service worker only reads
 * it (no key yet means no URL was ever signed, so every signed URL is refused).
 */
import { generateSigningKey } from './sign';
import { databaseOpener } from '../library/db';

const DB = 'darkroom-keys';
const STORE = 'keys';
const ID = 'delivery-hmac';

const open = databaseOpener(DB, 1, (db) => db.createObjectStore(STORE));

export async function readSigningKey(): Promise<CryptoKey | undefined> {
	const db = await open();
	return new Promise<CryptoKey | undefined>((resolve, reject) => {
		const r = db.transaction(STORE).objectStore(STORE).get(ID);
		r.onsuccess = () => resolve(r.result as CryptoKey | undefined);
		r.onerror = () => reject(r.error);
	});
}

let creating: Promise<CryptoKey> | undefined;

/** The key, made on first use. `add` (not put) so two tabs racing keep the first key. */
export function signingKey(): Promise<CryptoKey> {
	creating ??= (async () => {
		const existing = await readSigningKey();
		if (existing) return existing;
		const key = await generateSigningKey();
		const db = await open();
		await new Promise<void>((resolve) => {
			const tx = db.transaction(STORE, 'readwrite');
			tx.objectStore(STORE).add(key, ID);
			tx.oncomplete = () => resolve();
			tx.onabort = tx.onerror = () => resolve(); // ConstraintError: another tab won
		});
		return (await readSigningKey()) ?? key;
	})().catch((e) => {
		creating = undefined;
		throw e;
	});
	return creating;
}
