import { LIBRARY_DIR } from './record';

/**
 * The asset bytes in the Origin Private File System: `darkroom-library/<id>/<file>`.
 * File names carry a fresh nonce per write, so a new version never overwrites the
 * bytes an existing record points at: the record switch in IndexedDB is the commit.
 */

async function libraryDir(): Promise<FileSystemDirectoryHandle> {
	if (!navigator.storage?.getDirectory) throw new DOMException('This browser has no Origin Private File System, which the library needs', 'NotSupportedError');
	return (await navigator.storage.getDirectory()).getDirectoryHandle(LIBRARY_DIR, { create: true });
}

async function fileHandle(path: string, create: boolean): Promise<FileSystemFileHandle> {
	const [dir, name] = path.split('/');
	const d = await (await libraryDir()).getDirectoryHandle(dir, { create });
	return d.getFileHandle(name, { create });
}

export function nonce(): string {
	return Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function writeFile(path: string, bytes: Uint8Array): Promise<void> {
	const handle = await fileHandle(path, true);
	// createWritable writes to a swap file that replaces the file only on close(): a
	// failed write leaves at most an empty file, which the caller removes.
	const w = await handle.createWritable();
	try {
		await w.write(bytes as Uint8Array<ArrayBuffer>);
		await w.close();
	} catch (e) {
		await w.abort().catch(() => {});
		throw e;
	}
}

export async function readFile(path: string): Promise<File> {
	return (await fileHandle(path, false)).getFile();
}

/** Removes a file; a missing one is not an error (cleanup after a half-done write). */
export async function removeFile(path: string): Promise<void> {
	const [dir, name] = path.split('/');
	try {
		const d = await (await libraryDir()).getDirectoryHandle(dir);
		await d.removeEntry(name);
	} catch (e) {
		if ((e as DOMException)?.name !== 'NotFoundError') throw e;
	}
}

/** Removes an asset's folder when nothing is left in it. */
export async function removeDirIfEmpty(dir: string): Promise<void> {
	try {
		const root = await libraryDir();
		const d = await root.getDirectoryHandle(dir);
		for await (const _ of (d as unknown as { keys(): AsyncIterable<string> }).keys()) return;
		await root.removeEntry(dir);
	} catch (e) {
		if ((e as DOMException)?.name !== 'NotFoundError') throw e;
	}
}

/** Every stored file with its size: `<id>/<name>` → bytes. */
export async function listFiles(): Promise<Map<string, number>> {
	const out = new Map<string, number>();
	const root = await libraryDir();
	for await (const [dirName, dir] of (root as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
		if (dir.kind !== 'directory') continue;
		for await (const [name, f] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
			if (f.kind === 'file') out.set(`${dirName}/${name}`, (await (f as FileSystemFileHandle).getFile()).size);
		}
	}
	return out;
}

/** Removes a whole asset folder (garbage collection of files no record points at). */
export async function removeDir(dir: string): Promise<void> {
	try {
		await (await libraryDir()).removeEntry(dir, { recursive: true });
	} catch (e) {
		if ((e as DOMException)?.name !== 'NotFoundError') throw e;
	}
}
