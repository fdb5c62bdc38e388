/**
 * darkroom.models.{add_inpainter, inpainter, use_inpainter, remove_inpainter}: the user's own
 * ONNX inpainting network (MI-GAN pipeline v2 or LaMa), and the `engine` choice repairs make.
 *
 * Adding: the bytes come from a File/Blob/ArrayBuffer or from a URL the user typed (fetched only
 * then, and only with the SHA-256 it must have); they are hashed on the page (compared with
 * `sha256` when given), written to OPFS under their hash, and test-run in a worker, which reads
 * the signature from the session and runs a small picture through it. A file that fails is
 * deleted again; nothing the user had installed is touched until the new one passes.
 */
import { DarkroomError, invalidParam, describe } from './errors';
import type { WorkerPool } from '../worker/pool';
import { isPlainObject } from '../pipeline/validate';
import { InpainterError } from '../features/inpaint-net/errors';
import type { ProbeReply } from '../features/inpaint-net/probe-job';
import { modelFileName, readRecord, removeFiles, writeModel, writeRecord } from '../features/inpaint-net/store';
import { INPAINT_ENGINES, type InpaintEngine, type InpainterRecord, type NetworkSpec } from '../features/inpaint-net/types';
import type { AddInpainterRequest, InpainterStatus } from './types';

/** Largest network accepted (LaMa fp32 is ~208 MB). */
export const MAX_INPAINTER_BYTES = 1024 * 1024 * 1024;
const KNOWN = ['file', 'url', 'sha256', 'name', 'enabled'];

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
	const d = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
	return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function toStatus(r: InpainterRecord | undefined): InpainterStatus {
	if (!r) return { installed: false, enabled: false };
	return { installed: true, enabled: r.enabled, name: r.name, kind: r.kind, bytes: r.bytes, sha256: r.sha256, added: r.added, source: r.source, output_scale: r.outputScale };
}

function checkSha(v: unknown): string | undefined {
	if (v === undefined || v === null || v === '') return undefined;
	if (typeof v !== 'string' || !/^[0-9a-f]{64}$/i.test(v.trim()))
		throw new InpainterError('invalid_parameter', 'bad_hash', `Expected 64 hexadecimal digits (a SHA-256) for sha256 but received ${describe(v)}`, 'sha256');
	return v.trim().toLowerCase();
}

async function fetchModel(url: string): Promise<Uint8Array> {
	let res: Response;
	try {
		res = await fetch(url, { credentials: 'omit' });
	} catch (e) {
		const why = e instanceof Error ? e.message : String(e);
		throw new InpainterError('unprocessable', 'fetch_failed', `Could not fetch url ${url}: ${why} (offline, blocked by CORS, or not a valid address)`, 'url', { url, why });
	}
	if (!res.ok) throw new InpainterError('unprocessable', 'fetch_failed', `Could not fetch url ${url}: HTTP ${res.status} ${res.statusText}`.trim(), 'url', { url, why: `HTTP ${res.status}` });
	const len = Number(res.headers.get('content-length') ?? 0);
	if (len > MAX_INPAINTER_BYTES) throw tooLarge(len);
	return new Uint8Array(await res.arrayBuffer());
}

const tooLarge = (n: number) =>
	new InpainterError('too_large', 'too_large', `The network file is ${n} bytes; at most ${MAX_INPAINTER_BYTES} bytes are accepted`, 'file', { bytes: n, max: MAX_INPAINTER_BYTES });

async function fileBytes(v: unknown): Promise<Uint8Array> {
	if (v instanceof Blob) {
		if (v.size > MAX_INPAINTER_BYTES) throw tooLarge(v.size);
		return new Uint8Array(await v.arrayBuffer());
	}
	if (v instanceof ArrayBuffer) return new Uint8Array(v.slice(0));
	if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
	throw invalidParam('file', 'a File, Blob, ArrayBuffer or Uint8Array holding an .onnx model', v);
}

function defaultName(file: unknown, url: string | undefined): string {
	if (typeof File !== 'undefined' && file instanceof File && file.name) return file.name;
	if (url) {
		const last = url.split(/[?#]/)[0].split('/').filter(Boolean).pop();
		if (last) return decodeURIComponent(last);
	}
	return 'inpainting-network.onnx';
}

/** Validates `engine` (before any work). */
export function parseEngine(v: unknown, param = 'engine'): InpaintEngine {
	if (v === undefined || v === null || v === '') return 'auto';
	if (typeof v !== 'string' || !(INPAINT_ENGINES as readonly string[]).includes(v)) throw invalidParam(param, `one of ${INPAINT_ENGINES.join(', ')}`, v);
	return v as InpaintEngine;
}

/**
 * What a repair runs on: the network's spec, or undefined for PatchMatch. 'auto' takes the
 * network when one is installed and enabled; 'network' takes the installed one even when it is
 * switched off for automatic use, and is a 422 when there is none.
 */
export async function resolveEngine(engine: InpaintEngine, param = 'engine'): Promise<NetworkSpec | undefined> {
	if (engine === 'patchmatch') return undefined;
	let r: InpainterRecord | undefined;
	try {
		r = await readRecord();
	} catch (e) {
		if (engine === 'auto') return undefined; // no OPFS: the built-in fill
		throw e;
	}
	if (!r) {
		if (engine === 'auto') return undefined;
		throw new InpainterError('unprocessable', 'none_installed', `${param} is network but no inpainting network is installed: add one on the Models page or with darkroom.models.add_inpainter({ file }) (or use engine auto or patchmatch)`, param);
	}
	if (engine === 'auto' && !r.enabled) return undefined;
	return { name: r.name, kind: r.kind, sha256: r.sha256, inputs: r.inputs, output: r.output, outputScale: r.outputScale };
}

export interface InpainterApi {
	add_inpainter(req: AddInpainterRequest): Promise<InpainterStatus>;
	inpainter(): Promise<InpainterStatus>;
	use_inpainter(enabled: boolean): Promise<InpainterStatus>;
	remove_inpainter(): Promise<{ removed: boolean }>;
}

export function createInpainterApi(pool: WorkerPool): InpainterApi {
	// One add/remove at a time: they rewrite the same folder.
	let chain: Promise<unknown> = Promise.resolve();
	const serial = <T>(f: () => Promise<T>): Promise<T> => {
		const p = chain.then(f, f);
		chain = p.catch(() => {});
		return p;
	};

	async function add(raw: unknown): Promise<InpainterStatus> {
		if (!isPlainObject(raw)) throw invalidParam('request', 'an object { file } or { url, sha256 } for models.add_inpainter', raw);
		for (const k of Object.keys(raw))
			if (!KNOWN.includes(k)) throw new DarkroomError('invalid_parameter', `Unknown parameter ${k} for models.add_inpainter (known: ${KNOWN.join(', ')})`, k);
		const hasFile = raw.file !== undefined && raw.file !== null;
		const hasUrl = raw.url !== undefined && raw.url !== null && raw.url !== '';
		if (hasFile && hasUrl) throw new DarkroomError('invalid_parameter', 'Pass either file or url for models.add_inpainter, not both', 'url');
		if (!hasFile && !hasUrl) throw new DarkroomError('invalid_parameter', 'Missing required parameter file (an .onnx File, Blob or ArrayBuffer) or url (with its sha256) for models.add_inpainter', 'file');
		let url: string | undefined;
		if (hasUrl) {
			if (typeof raw.url !== 'string') throw invalidParam('url', 'an http(s) URL of an .onnx file', raw.url);
			try {
				const u = new URL(raw.url.trim(), typeof location !== 'undefined' ? location.href : undefined);
				if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
				url = u.href;
			} catch {
				throw invalidParam('url', 'an http(s) URL of an .onnx file', raw.url);
			}
		}
		const expected = checkSha(raw.sha256);
		if (url && !expected)
			throw new InpainterError('invalid_parameter', 'bad_hash', 'Missing required parameter sha256 for models.add_inpainter with a url: a download is installed only when it hashes to the SHA-256 you expect', 'sha256');
		if (raw.name !== undefined && (typeof raw.name !== 'string' || !raw.name.trim() || raw.name.length > 200)) throw invalidParam('name', 'a non-empty string of at most 200 characters', raw.name);
		if (raw.enabled !== undefined && typeof raw.enabled !== 'boolean') throw invalidParam('enabled', 'boolean', raw.enabled);

		const bytes = url ? await fetchModel(url) : await fileBytes(raw.file);
		if (bytes.length === 0) throw new InpainterError('invalid_parameter', 'empty', `The ${url ? 'download' : 'file'} is empty (0 bytes): expected an .onnx model`, url ? 'url' : 'file');
		if (bytes.length > MAX_INPAINTER_BYTES) throw tooLarge(bytes.length);
		const sha256 = await sha256Hex(bytes);
		if (expected && expected !== sha256)
			throw new InpainterError('invalid_parameter', 'hash_mismatch', `SHA-256 mismatch for ${url ? 'url' : 'file'}: expected ${expected} but the bytes hash to ${sha256}`, 'sha256', { expected, actual: sha256 });

		return serial(async () => {
			const before = await readRecord().catch(() => undefined);
			await writeModel(sha256, bytes);
			const reply = await pool.run<ProbeReply>('inpainterProbe', [{ sha256 }]);
			if (!reply.ok) {
				if (before?.sha256 !== sha256) await removeFiles(before ? ['record.json', modelFileName(before.sha256)] : []);
				const e = reply.error;
				throw reply.reason ? new InpainterError(e.code, reply.reason, e.message, e.param, reply.values) : DarkroomError.fromJSON(e);
			}
			const p = reply.probe;
			const record: InpainterRecord = {
				name: typeof raw.name === 'string' ? raw.name.trim() : defaultName(raw.file, url),
				kind: p.kind,
				bytes: bytes.length,
				sha256,
				added: new Date().toISOString(),
				enabled: raw.enabled !== false,
				source: url ?? 'file',
				inputs: p.inputs,
				output: p.output,
				outputScale: p.outputScale
			};
			await writeRecord(record);
			await removeFiles(['record.json', modelFileName(sha256)]);
			return { ...toStatus(record), test_ms: p.ms };
		});
	}

	return {
		add_inpainter: (req) => add(req),
		async inpainter() {
			return toStatus(await readRecord());
		},
		use_inpainter(enabled: boolean) {
			return serial(async () => {
				if (typeof enabled !== 'boolean') throw invalidParam('enabled', 'boolean', enabled);
				const r = await readRecord();
				if (!r) throw new InpainterError('not_found', 'none_installed', 'No inpainting network is installed: add one with darkroom.models.add_inpainter({ file }) first', 'enabled');
				r.enabled = enabled;
				await writeRecord(r);
				return toStatus(r);
			});
		},
		remove_inpainter() {
			return serial(async () => {
				const had = !!(await readRecord());
				const gone = await removeFiles();
				return { removed: had || gone.length > 0 };
			});
		}
	};
}
