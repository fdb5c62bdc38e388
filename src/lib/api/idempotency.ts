import { DarkroomError } from './errors';

/**
 * `idempotency_key`: a repeat of the same call with the same key answers the first
 * result without recomputing. Reusing a key for different parameters is a 422, as
 * payment APIs do, rather than silently answering the wrong image.
 */
export class IdempotencyCache {
	private entries = new Map<string, { fingerprint: string; result: Promise<unknown> }>();
	constructor(private max = 500) {}

	run<T>(method: string, key: unknown, params: unknown, compute: () => Promise<T>): Promise<T> {
		if (key === undefined || key === null) return compute();
		if (typeof key !== 'string' || key.length === 0 || key.length > 255)
			return Promise.reject(new DarkroomError('invalid_parameter', `Expected non-empty string of at most 255 characters for idempotency_key but received ${typeof key === 'string' ? `a string of length ${key.length}` : typeof key}`, 'idempotency_key'));
		const id = `${method}\u0000${key}`;
		const fingerprint = fingerprintOf(params);
		const hit = this.entries.get(id);
		if (hit) {
			if (hit.fingerprint !== fingerprint)
				return Promise.reject(new DarkroomError('unprocessable', `idempotency_key "${key}" was already used for ${method} with different parameters`, 'idempotency_key'));
			return hit.result as Promise<T>;
		}
		const result = compute();
		this.entries.set(id, { fingerprint, result });
		// Failures are not remembered: a retry after an error computes again.
		result.catch(() => this.entries.delete(id));
		if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
		return result;
	}
}

/** A stable description of the parameters; bytes are summarised by length and a cheap hash. */
export function fingerprintOf(params: unknown): string {
	return JSON.stringify(params, (k, v) => {
		if (k === 'idempotency_key') return undefined;
		if (typeof Blob !== 'undefined' && v instanceof Blob) return `blob:${v.size}:${v.type}:${(v as File).name ?? ''}:${(v as File).lastModified ?? ''}`;
		if (v instanceof ArrayBuffer) return `bytes:${v.byteLength}:${hashBytes(new Uint8Array(v))}`;
		if (ArrayBuffer.isView(v)) return `bytes:${v.byteLength}:${hashBytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))}`;
		if (typeof v === 'string' && v.length > 256) return `str:${v.length}:${hashString(v)}`;
		return v;
	});
}

function hashBytes(b: Uint8Array): string {
	let h = 0x811c9dc5;
	for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
	return (h >>> 0).toString(16);
}

function hashString(s: string): string {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
	return (h >>> 0).toString(16);
}
