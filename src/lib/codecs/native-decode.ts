/**
 * The browser's own decoder, for what the WASM and TypeScript decoders do not cover
 * (CMYK JPEG, RLE BMP, AVIF features libavif-in-WASM rejects). Only in a worker or page.
 */
import type { RGBAImage } from '../core/image';

export function canDecodeNatively(): boolean {
	return typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function';
}

export async function decodeNative(bytes: Uint8Array, mime: string): Promise<RGBAImage> {
	// 'none': callers hand over bytes whose orientation has been neutralised and apply
	// orientation themselves, so the result does not depend on how a browser version
	// interprets imageOrientation. premultiplyAlpha 'none' avoids a lossy round trip.
	const bitmap = await createImageBitmap(new Blob([bytes as BlobPart], { type: mime }), {
		imageOrientation: 'none',
		premultiplyAlpha: 'none',
		colorSpaceConversion: 'default'
	});
	try {
		const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
		const ctx = canvas.getContext('2d', { willReadFrequently: true });
		if (!ctx) throw new Error('no 2D context on OffscreenCanvas');
		ctx.drawImage(bitmap, 0, 0);
		const d = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
		return { width: d.width, height: d.height, data: d.data };
	} finally {
		bitmap.close();
	}
}
