import type { Rect } from './geometry';
import type { RGBAImage } from './image';

/**
 * The smallest rectangle holding every pixel with alpha > `threshold`, or null when
 * there is none. Used to cut rendered text down to its ink, as HivisionIDPhotos' mark
 * does, so tile spacing is measured between glyphs rather than between font boxes.
 */
export function alphaBounds(img: RGBAImage, threshold = 0): Rect | null {
	const { width, height, data } = img;
	let minX = width, minY = height, maxX = -1, maxY = -1;
	for (let y = 0; y < height; y++) {
		let i = y * width * 4 + 3;
		for (let x = 0; x < width; x++, i += 4) {
			if (data[i] > threshold) {
				if (x < minX) minX = x;
				if (x > maxX) maxX = x;
				if (y < minY) minY = y;
				maxY = y;
			}
		}
	}
	return maxX < 0 ? null : { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}
