/**
 * Where the user's inpainting network lives: the Origin Private File System, folder
 * `inpainter/`, holding the model as `<sha256>.onnx` and its record as `record.json`. OPFS is
 * reachable from the page and from workers alike: the page writes, a worker reads the bytes
 * when it builds its session. One network at a time; adding another replaces it.
 */
import { DarkroomError } from '../../api/errors';
import type { InpainterRecord } from './types';

const DIR = 'inpainter';
const RECORD = 'record.json';

export const modelFileName = (sha256: string) => `${sha256}.onnx`;

async function dir(create: boolean): Promise<FileSystemDirectoryHandle | undefined> {
	const storage = (globalThis.navigator as Navigator | undefined)?.storage;
	if (!storage?.getDirectory) throw new DarkroomError('unprocessable', 'This browser has no Origin Private File System (navigator.storage.getDirectory), where an inpainting network is kept');
	const root = await storage.getDirectory();
	try {
		return await root.getDirectoryHandle(DIR, { create });
	} catch (e) {
		if (!create && (e as DOMException)?.name === 'NotFoundError') return undefined;
		throw e;
	}
}

async function writeFile(d: FileSystemDirectoryHandle, name: string, data: Uint8Array | string): Promise<void> {
	const f = await d.getFileHandle(name, { create: true });
	const w = await f.createWritable();
	try {
		await w.write(typeof data === 'string' ? data : (data as Uint8Array<ArrayBuffer>));
		await w.close();
	} catch (e) {
		await w.abort().catch(() => {});
		throw e;
	}
}

/** The installed network's record, or undefined when none is installed. */
export async function readRecord(): Promise<InpainterRecord | undefined> {
	const d = await dir(false);
	if (!d) return undefined;
	try {
		const text = await (await (await d.getFileHandle(RECORD)).getFile()).text();
		return JSON.parse(text) as InpainterRecord;
	} catch {
		return undefined;
	}
}

export async function writeRecord(r: InpainterRecord): Promise<void> {
	await writeFile((await dir(true))!, RECORD, JSON.stringify(r, null, '\t'));
}

/** Stores the model bytes under their hash. */
export async function writeModel(sha256: string, bytes: Uint8Array): Promise<void> {
	await writeFile((await dir(true))!, modelFileName(sha256), bytes);
}

/** The model bytes stored under `sha256` (workers call this when they build their session). */
export async function readModel(sha256: string): Promise<Uint8Array> {
	const d = await dir(false);
	try {
		if (!d) throw new Error('no inpainter folder');
		return new Uint8Array(await (await (await d.getFileHandle(modelFileName(sha256))).getFile()).arrayBuffer());
	} catch {
		throw new DarkroomError('not_found', `The inpainting network ${sha256.slice(0, 12)}… is not in this browser's storage any more (the site's data was cleared?): add it again on the Models page`, 'engine');
	}
}

/** Deletes every file in the folder but `keep` (model files of earlier networks, failed adds). */
export async function removeFiles(keep: string[] = []): Promise<string[]> {
	const d = await dir(false);
	if (!d) return [];
	const gone: string[] = [];
	const names: string[] = [];
	for await (const name of (d as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
	for (const name of names) {
		if (keep.includes(name)) continue;
		await d.removeEntry(name).catch(() => {});
		gone.push(name);
	}
	return gone;
}
