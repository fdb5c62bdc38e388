/**
 * Batch jobs, persisted so a reload resumes where it stopped: one IndexedDB database with
 * the jobs and their items. Inputs and results are kept as Blobs in the item records
 * (IndexedDB stores Blobs natively), so nothing depends on the page that submitted them.
 */
import { committed, databaseOpener, request } from './db';

export type JobStatus = 'queued' | 'running' | 'completed' | 'cancelled';
export type ItemStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface ItemError {
	code: string;
	status: number;
	message: string;
	param?: string;
}

export interface BatchItem {
	job_id: string;
	index: number;
	name: string;
	status: ItemStatus;
	/** The input: bytes, or a library asset by id. Absent when the input itself could not be read (then `error`). */
	source?: Blob | { id: string };
	ops?: unknown[];
	transformation?: unknown;
	format?: string;
	quality?: number;
	error?: ItemError;
	result?: { blob: Blob; mime: string; width: number; height: number; bytes: number };
	started_at?: string;
	finished_at?: string;
}

export interface WebhookState {
	url: string;
	status: 'pending' | 'sent' | 'failed';
	attempts: number;
	last_status?: number;
	error?: string;
}

export interface BatchJob {
	id: string;
	status: JobStatus;
	count: number;
	created_at: string;
	updated_at: string;
	completed_at?: string;
	cancelled_at?: string;
	webhook?: WebhookState;
	idempotency_key?: string;
	fingerprint?: string;
}

const DB = 'darkroom-batches';
const JOBS = 'jobs';
const ITEMS = 'items';
const open = databaseOpener(DB, 1, (db) => {
	db.createObjectStore(JOBS, { keyPath: 'id' }).createIndex('idempotency_key', 'idempotency_key', { unique: true });
	db.createObjectStore(ITEMS, { keyPath: ['job_id', 'index'] }).createIndex('job_id', 'job_id');
});

export function newJobId(): string {
	return 'job_' + Array.from(crypto.getRandomValues(new Uint8Array(10)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Job and items in one transaction: a job is stored whole or not at all. */
export async function createJob(job: BatchJob, items: BatchItem[]): Promise<void> {
	const db = await open();
	const tx = db.transaction([JOBS, ITEMS], 'readwrite');
	tx.objectStore(JOBS).add(job);
	for (const it of items) tx.objectStore(ITEMS).add(it);
	await committed(tx);
}

export async function getJob(id: string): Promise<BatchJob | undefined> {
	const db = await open();
	return request(db.transaction(JOBS).objectStore(JOBS).get(id) as IDBRequest<BatchJob | undefined>);
}

export async function jobByIdempotencyKey(key: string): Promise<BatchJob | undefined> {
	const db = await open();
	return request(db.transaction(JOBS).objectStore(JOBS).index('idempotency_key').get(key) as IDBRequest<BatchJob | undefined>);
}

export async function allJobs(): Promise<BatchJob[]> {
	const db = await open();
	const all = await request(db.transaction(JOBS).objectStore(JOBS).getAll() as IDBRequest<BatchJob[]>);
	return all.sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
}

export async function itemsOf(jobId: string): Promise<BatchItem[]> {
	const db = await open();
	const items = await request(db.transaction(ITEMS).objectStore(ITEMS).index('job_id').getAll(jobId) as IDBRequest<BatchItem[]>);
	return items.sort((a, b) => a.index - b.index);
}

export async function getItem(jobId: string, index: number): Promise<BatchItem | undefined> {
	const db = await open();
	return request(db.transaction(ITEMS).objectStore(ITEMS).get([jobId, index]) as IDBRequest<BatchItem | undefined>);
}

export async function putItem(item: BatchItem): Promise<void> {
	const db = await open();
	const tx = db.transaction(ITEMS, 'readwrite');
	tx.objectStore(ITEMS).put(item);
	await committed(tx);
}

/** Read-modify-write of a job in one transaction (so two tabs cannot lose each other's change). */
export async function updateJob(id: string, change: (j: BatchJob) => BatchJob | undefined): Promise<BatchJob | undefined> {
	const db = await open();
	const tx = db.transaction(JOBS, 'readwrite');
	const store = tx.objectStore(JOBS);
	const cur = await request(store.get(id) as IDBRequest<BatchJob | undefined>);
	const next = cur ? change(cur) : undefined;
	if (next) store.put(next);
	await committed(tx);
	return next ?? cur;
}

/** Marks every queued item of a job cancelled (running ones finish and keep their result). */
export async function cancelQueued(jobId: string, at: string): Promise<void> {
	const db = await open();
	const tx = db.transaction(ITEMS, 'readwrite');
	const store = tx.objectStore(ITEMS);
	const items = await request(store.index('job_id').getAll(jobId) as IDBRequest<BatchItem[]>);
	for (const it of items) if (it.status === 'queued') store.put({ ...it, status: 'cancelled', finished_at: at });
	await committed(tx);
}

export async function deleteJob(id: string): Promise<void> {
	const db = await open();
	const tx = db.transaction([JOBS, ITEMS], 'readwrite');
	tx.objectStore(JOBS).delete(id);
	const items = tx.objectStore(ITEMS);
	for (const key of await request(items.index('job_id').getAllKeys(id))) items.delete(key);
	await committed(tx);
}
