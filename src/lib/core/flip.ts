import type { RGBAImage } from './image';
import { pixelWords } from './pixel-words';

/** Mirror top↔bottom (sharp's flip: about the horizontal axis). Rows are copied whole. */
export function flipImage(img: RGBAImage): RGBAImage {
	const { width, height, data } = img;
	const out = new Uint8ClampedArray(data.length);
	const stride = width * 4;
	for (let y = 0; y < height; y++) {
		const s = y * stride;
		out.set(data.subarray(s, s + stride), (height - 1 - y) * stride);
	}
	return { width, height, data: out };
}

/** Mirror left↔right (sharp's flop: about the vertical axis). Pixels move as 32-bit words. */
export function flopImage(img: RGBAImage): RGBAImage {
	const { width, height, data } = img;
	const out = new Uint8ClampedArray(data.length);
	const src = pixelWords(data);
	const dst = new Uint32Array(out.buffer);
	for (let y = 0; y < height; y++) {
		const row = y * width;
		const last = row + width - 1;
		for (let x = 0; x < width; x++) dst[row + x] = src[last - x];
	}
	return { width, height, data: out };
}
