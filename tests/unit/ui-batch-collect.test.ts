import { describe, expect, it } from 'vitest';
import { isImageFile, pathOf, splitImages } from '../../src/lib/ui/batch/collect';

const file = (name: string, type: string, path?: string) => {
	const f = new File([new Uint8Array([1, 2, 3])], name, { type });
	if (path) Object.defineProperty(f, 'webkitRelativePath', { value: path });
	return f;
};

describe('batch file collection', () => {
	it('keeps images by type, or by extension when the system gave no type', () => {
		expect(isImageFile(file('a.jpg', 'image/jpeg'))).toBe(true);
		expect(isImageFile(file('a.avif', ''))).toBe(true);
		expect(isImageFile(file('a.HEIC', ''))).toBe(true);
		expect(isImageFile(file('a.txt', 'text/plain'))).toBe(false);
		// The declared type wins: a PDF named .jpg is not taken for an image.
		expect(isImageFile(file('a.jpg', 'application/pdf'))).toBe(false);
	});

	it('sets non-images aside by path and drops hidden files', () => {
		const r = splitImages([
			file('a.jpg', 'image/jpeg', 'trip/a.jpg'),
			file('notes.md', 'text/markdown', 'trip/notes.md'),
			file('.DS_Store', '', 'trip/.DS_Store'),
			file('._a.jpg', 'image/jpeg', 'trip/._a.jpg'),
			file('b.png', 'image/png')
		]);
		expect(r.images.map(pathOf)).toEqual(['trip/a.jpg', 'b.png']);
		expect(r.skipped).toEqual(['trip/notes.md']);
	});
});
