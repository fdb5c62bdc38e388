/**
 * Named transformations (seed 000 `image.transformation.*`), kept in their own IndexedDB
 * database so the page, the service worker (delivery URLs with t_<name>) and other tabs
 * all see the same set. A record holds the transform as given (compact string or object,
 * already validated), so what the user wrote is what they read back.
 */
import { DarkroomError, invalidParam } from '../api/errors';
import { checkName, normalizeTransformObject, parseTransformString, transformToRequest, type ImageTransform, type NamedLookup, type ProcessRequestPart } from '../pipeline/transform';
import { committed, databaseOpener, request } from './db';

export interface TransformationRecord {
	id: string;
	name: string;
	transform: ImageTransform | string;
	created_at: string;
	updated_at: string;
}

const DB = 'darkroom-transformations';
const STORE = 'transformations';
const open = databaseOpener(DB, 1, (db) => {
	db.createObjectStore(STORE, { keyPath: 'id' }).createIndex('name', 'name', { unique: true });
});

export function newTransformationId(): string {
	const b = crypto.getRandomValues(new Uint8Array(10));
	return 'tr_' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** Validates a transform for storing: syntax, and every t_<name> it uses must exist (no cycles). */
export function checkTransform(raw: unknown, lookup: NamedLookup, param = 'transform'): ImageTransform | string {
	if (raw === undefined || raw === null) throw new DarkroomError('invalid_parameter', `Missing required parameter ${param} (an object such as { width: 400, format: "webp" } or a string such as "w_400,f_webp")`, param);
	const kept = typeof raw === 'string' ? (parseTransformString(raw, param), raw.trim()) : normalizeTransformObject(raw, param);
	transformToRequest(kept, lookup, param);
	return kept;
}

export async function allTransformations(): Promise<TransformationRecord[]> {
	const db = await open();
	const all = await request(db.transaction(STORE).objectStore(STORE).getAll() as IDBRequest<TransformationRecord[]>);
	return all.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : 1));
}

/** A synchronous lookup over a snapshot, for resolving t_<name> / style/<name>. */
export async function lookupSnapshot(): Promise<NamedLookup> {
	const byName = new Map((await allTransformations()).map((r) => [r.name, r.transform]));
	return (name) => byName.get(name);
}

/** The process request for a transform in any spelling, resolving names from the store. */
export async function resolveTransform(raw: unknown, param = 'transformation'): Promise<ProcessRequestPart> {
	const lookup = await lookupSnapshot();
	// A stored name is accepted where a transformation is expected: "thumb" = "t_thumb".
	let t = raw;
	if (typeof raw === 'string') {
		const s = raw.trim();
		if (lookup(s) !== undefined) t = `t_${s}`;
		else if (/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(s)) throw new DarkroomError('not_found', `No named transformation "${s}" (create it with image.transformation.create)`, param);
	}
	return transformToRequest(t, lookup, param);
}

export async function findTransformation(ref: { id?: unknown; name?: unknown }, param = 'id'): Promise<TransformationRecord> {
	const all = await allTransformations();
	if (ref.id !== undefined) {
		if (typeof ref.id !== 'string') throw invalidParam('id', 'a transformation id (tr_…)', ref.id);
		const r = all.find((x) => x.id === ref.id);
		if (!r) throw new DarkroomError('not_found', `No named transformation with id "${ref.id}"`, 'id');
		return r;
	}
	if (ref.name !== undefined) {
		const name = checkName(ref.name, 'name');
		const r = all.find((x) => x.name === name);
		if (!r) throw new DarkroomError('not_found', `No named transformation "${name}"`, 'name');
		return r;
	}
	throw new DarkroomError('invalid_parameter', 'Missing id or name of the named transformation', param);
}

export async function putTransformation(rec: TransformationRecord, replacing?: string): Promise<void> {
	const db = await open();
	const tx = db.transaction(STORE, 'readwrite');
	const store = tx.objectStore(STORE);
	if (replacing && replacing !== rec.id) store.delete(replacing);
	store.put(rec);
	try {
		await committed(tx);
	} catch (e) {
		if (e instanceof DOMException && e.name === 'ConstraintError')
			throw new DarkroomError('unprocessable', `A named transformation "${rec.name}" already exists; choose another name or update that one`, 'name');
		throw e;
	}
}

export async function deleteTransformation(id: string): Promise<void> {
	const db = await open();
	const tx = db.transaction(STORE, 'readwrite');
	tx.objectStore(STORE).delete(id);
	await committed(tx);
}
