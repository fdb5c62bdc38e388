/**
 * A small pure-TypeScript BMP decoder for the uncompressed variants (1/4/8-bit palette,
 * 16/24/32-bit, with or without bit-field masks). It makes BMP work identically in
 * Node and in every browser; RLE-compressed files are left to the native decoder.
 */
import type { RGBAImage } from '../core/image';
import { u32le } from './bytes';
import { invalidImage, parseBmpHeader } from './probe';

export class BmpUnsupported extends Error {}

/** Extracts a masked channel and scales it to 0..255. */
function channel(mask: number): (v: number) => number {
	if (mask === 0) return () => 255;
	let shift = 0;
	while (((mask >>> shift) & 1) === 0) shift++;
	let bits = 0;
	while (((mask >>> (shift + bits)) & 1) === 1 && shift + bits < 32) bits++;
	const max = 2 ** bits - 1;
	return (v) => Math.round((((v & mask) >>> shift) * 255) / max);
}

export function decodeBmp(b: Uint8Array): RGBAImage {
	const h = parseBmpHeader(b);
	const { width, height, bpp } = h;
	if (h.compression === 1 || h.compression === 2) throw new BmpUnsupported('RLE-compressed BMP');
	if (h.compression !== 0 && h.compression !== 3 && h.compression !== 6) throw new BmpUnsupported(`BMP compression type ${h.compression}`);
	const stride = Math.floor((width * bpp + 31) / 32) * 4;
	if (h.pixelOffset + stride * height > b.length) throw invalidImage('bmp', 'the pixel array is cut short');
	const out = new Uint8ClampedArray(width * height * 4);

	let palette: Uint8Array | undefined;
	if (bpp <= 8) {
		const entrySize = h.dibSize === 12 ? 3 : 4;
		const masksAfterHeader = h.dibSize === 40 && (h.compression === 3 || h.compression === 6) ? (h.compression === 6 ? 16 : 12) : 0;
		const at = 14 + h.dibSize + masksAfterHeader;
		const count = Math.min(h.colorsUsed || 1 << bpp, 1 << bpp, Math.floor((h.pixelOffset - at) / entrySize));
		palette = new Uint8Array(256 * 4);
		for (let i = 0; i < count; i++) {
			const p = at + i * entrySize;
			palette[i * 4] = b[p + 2];
			palette[i * 4 + 1] = b[p + 1];
			palette[i * 4 + 2] = b[p];
			palette[i * 4 + 3] = 255;
		}
		// Indices past the palette show as opaque black, as browsers do.
		for (let i = count; i < 256; i++) palette[i * 4 + 3] = 255;
	}

	const useMasks = (h.compression === 3 || h.compression === 6) && h.masks;
	const defaultMasks = bpp === 16 ? { r: 0x7c00, g: 0x03e0, b: 0x001f, a: 0 } : { r: 0xff0000, g: 0xff00, b: 0xff, a: 0 };
	const masks = useMasks ? h.masks! : defaultMasks;
	const [R, G, B, A] = [channel(masks.r), channel(masks.g), channel(masks.b), channel(masks.a)];

	for (let y = 0; y < height; y++) {
		const row = h.pixelOffset + (h.topDown ? y : height - 1 - y) * stride;
		let o = y * width * 4;
		for (let x = 0; x < width; x++, o += 4) {
			if (palette) {
				const bit = x * bpp;
				const byte = b[row + (bit >> 3)];
				const idx = bpp === 8 ? byte : (byte >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
				out[o] = palette[idx * 4];
				out[o + 1] = palette[idx * 4 + 1];
				out[o + 2] = palette[idx * 4 + 2];
				out[o + 3] = 255;
			} else if (bpp === 24) {
				const p = row + x * 3;
				out[o] = b[p + 2];
				out[o + 1] = b[p + 1];
				out[o + 2] = b[p];
				out[o + 3] = 255;
			} else {
				const v = bpp === 16 ? b[row + x * 2] | (b[row + x * 2 + 1] << 8) : u32le(b, row + x * 4);
				out[o] = R(v);
				out[o + 1] = G(v);
				out[o + 2] = B(v);
				out[o + 3] = A(v);
			}
		}
	}
	return { width, height, data: out };
}
