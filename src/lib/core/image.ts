/** An RGBA, 8-bit, non-premultiplied, sRGB pixel buffer: the currency of every core op. */
export interface RGBAImage {
	width: number;
	height: number;
	data: Uint8ClampedArray;
}

export type RGBA = [r: number, g: number, b: number, a: number];

export function createImage(width: number, height: number, fill?: RGBA): RGBAImage {
	const data = new Uint8ClampedArray(width * height * 4);
	if (fill && (fill[0] | fill[1] | fill[2] | fill[3]) !== 0) {
		const px = new Uint32Array(data.buffer);
		const v = new Uint8Array(new Uint32Array([0]).buffer);
		v[0] = fill[0];
		v[1] = fill[1];
		v[2] = fill[2];
		v[3] = fill[3];
		px.fill(new Uint32Array(v.buffer)[0]);
	}
	return { width, height, data };
}

export function cloneImage(img: RGBAImage): RGBAImage {
	return { width: img.width, height: img.height, data: new Uint8ClampedArray(img.data) };
}

/** True when every pixel is fully opaque (lets encoders drop the alpha channel). */
export function isOpaque(img: RGBAImage): boolean {
	const d = img.data;
	for (let i = 3; i < d.length; i += 4) if (d[i] !== 255) return false;
	return true;
}
