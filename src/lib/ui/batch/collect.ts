/**
 * Turning what the user dropped or picked into a flat list of image files: folders are
 * walked (FileSystemEntry recursion, since DataTransfer.files lists a dropped folder as one
 * empty "file"), and anything that is not an image is set aside so the page can say so
 * instead of sending it to the batch, where it would only fail.
 */

const IMAGE_EXT = /\.(jpe?g|jfif|png|webp|avif|gif|bmp|tiff?|heic|heif)$/i;

/** By type first; some systems give no type for .avif/.heic, so the extension decides then. */
export function isImageFile(f: File): boolean {
	if (f.type) return f.type.startsWith('image/');
	return IMAGE_EXT.test(f.name);
}

export interface Collected {
	images: File[];
	/** Names (with folder path where known) of files left out because they are not images. */
	skipped: string[];
}

export function splitImages(files: Iterable<File>): Collected {
	const images: File[] = [];
	const skipped: string[] = [];
	for (const f of files) {
		// Hidden files in folders (.DS_Store, ._x.jpg from macOS) are noise, not images.
		const name = pathOf(f);
		if (/(^|\/)\./.test(name)) continue;
		if (isImageFile(f)) images.push(f);
		else skipped.push(name);
	}
	return { images, skipped };
}

/** The path a file had inside a picked or dropped folder, else its name. */
export function pathOf(f: File): string {
	return (f as File & { webkitRelativePath?: string }).webkitRelativePath || (f as File & { _path?: string })._path || f.name;
}

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
	// readEntries answers in chunks (100 in Chromium) until it answers an empty array.
	return new Promise((resolve, reject) => {
		const out: FileSystemEntry[] = [];
		const next = () =>
			reader.readEntries((batch) => {
				if (batch.length === 0) resolve(out);
				else {
					out.push(...batch);
					next();
				}
			}, reject);
		next();
	});
}

async function walk(entry: FileSystemEntry, prefix: string, out: File[]): Promise<void> {
	if (entry.isFile) {
		const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
		if (prefix) Object.defineProperty(file, '_path', { value: prefix + file.name });
		out.push(file);
	} else if (entry.isDirectory) {
		const children = await readAll((entry as FileSystemDirectoryEntry).createReader());
		for (const c of children.sort((a, b) => a.name.localeCompare(b.name))) await walk(c, `${prefix}${entry.name}/`, out);
	}
}

/** Every file in a drop, folders included (recursively). */
export async function filesFromDrop(dt: DataTransfer): Promise<File[]> {
	// Entries must be taken synchronously, before the first await: the list is emptied after the event.
	const entries: FileSystemEntry[] = [];
	const loose: File[] = [];
	for (const item of [...dt.items]) {
		if (item.kind !== 'file') continue;
		const entry = item.webkitGetAsEntry?.();
		if (entry) entries.push(entry);
		else {
			const f = item.getAsFile();
			if (f) loose.push(f);
		}
	}
	if (entries.length === 0 && loose.length === 0) return [...dt.files];
	const out: File[] = [...loose];
	for (const e of entries) await walk(e, '', out);
	return out;
}
