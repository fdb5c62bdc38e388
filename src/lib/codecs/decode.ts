/**
 * Bytes → upright RGBA pixels. Header first (format, limits, completeness), then the
 * pixel decode, then EXIF orientation. Decoder choice favours exact, deterministic
 * results: jSquash (WASM) for JPEG/PNG/WebP/AVIF and small TypeScript decoders for GIF
 * and BMP, which behave the same under Node and in every browser; the browser's native
 * decoder covers the rest (CMYK JPEG, RLE BMP) where it exists.
 */
import { DarkroomError } from '../api/errors';
import type { RGBAImage } from '../core/image';
import { applyOrientation } from '../core/orient';
import { BmpUnsupported, decodeBmp } from './bmp-decode';
import { toArrayBuffer } from './bytes';
import { extractExifBlock, extractIcc, readOrientation } from './exif';
import { decodeGif } from './gif-decode';
import { checkIntegrity } from './integrity';
import { isExif, removeSegments } from './jpeg-segments';
import { canDecodeNatively, decodeNative } from './native-decode';
import { checkLimits, formatName, probe } from './probe';
import { DEFAULT_LIMITS, type DecodedImage, type HeaderInfo, type Limits } from './types';
import { ensureCodec } from './wasm-init';
import { extractFirstFrame } from './webp-chunks';
import { SUPPORTED_FORMATS_TEXT } from './sniff';
import { isSrgbProfile } from './icc';

export interface DecodeOptions {
	limits?: Limits;
	/** Apply the EXIF orientation (default true). */
	autoOrient?: boolean;
}

export async function decode(bytes: Uint8Array, opts: DecodeOptions = {}): Promise<DecodedImage> {
	const info = probe(bytes);
	checkLimits(info, bytes.length, opts.limits ?? DEFAULT_LIMITS);
	checkIntegrity(bytes, info);
	const icc = await extractIcc(bytes);
	// Photos in Adobe RGB / Display P3 go through the browser's colour-managed decoder,
	// which converts to sRGB; their profile then no longer describes the pixels.
	const toSrgb = !!icc && info.format === 'jpeg' && !isSrgbProfile(icc) && canDecodeNatively();
	const stored = toSrgb ? await decodeNativeJpeg(bytes, info) : await decodePixels(bytes, info);
	const orientation = readOrientation(bytes);
	const autoOrient = opts.autoOrient ?? true;
	const apply = autoOrient && orientation !== 1;
	const result: DecodedImage = {
		image: apply ? applyOrientation(stored, orientation) : stored,
		info,
		orientation,
		oriented: apply
	};
	const exif = extractExifBlock(bytes);
	if (exif) result.exif = exif;
	if (icc && !toSrgb) result.icc = icc;
	return result;
}

/** Pixels as stored (no orientation), for callers that already validated the header. */
export async function decodePixels(bytes: Uint8Array, info: HeaderInfo): Promise<RGBAImage> {
	try {
		const img = await decodeByFormat(bytes, info);
		if (img.width * img.height * 4 !== img.data.length) throw new Error(`decoder returned ${img.data.length} bytes for ${img.width} x ${img.height}`);
		return img;
	} catch (e) {
		if (DarkroomError.is(e)) throw e;
		const msg = e instanceof Error ? e.message : String(e);
		throw new DarkroomError('invalid_image', `Corrupt ${formatName(info.format)} data: ${msg}`);
	}
}

async function decodeNativeJpeg(bytes: Uint8Array, info: HeaderInfo): Promise<RGBAImage> {
	try {
		// Neutralise EXIF orientation so the browser cannot apply it; decode() does, once.
		return await decodeNative(removeSegments(bytes, isExif), info.mime);
	} catch (e) {
		throw new DarkroomError('invalid_image', `Corrupt JPEG data: ${e instanceof Error ? e.message : String(e)}`);
	}
}

function needsBrowser(what: string): DarkroomError {
	return new DarkroomError(
		'unsupported_format',
		`Unsupported image format: ${what} needs a browser's native decoder, which this environment lacks. Supported everywhere: ${SUPPORTED_FORMATS_TEXT} (8-bit, RGB/greyscale)`
	);
}

async function decodeByFormat(bytes: Uint8Array, info: HeaderInfo): Promise<RGBAImage> {
	switch (info.format) {
		case 'jpeg': {
			if (info.bitDepth !== 8) throw new DarkroomError('unsupported_format', `Unsupported image format: ${info.bitDepth}-bit JPEG (browsers decode 8-bit JPEG only)`);
			if (info.components === 4) {
				if (!canDecodeNatively()) throw needsBrowser('CMYK JPEG');
				// Neutralise EXIF orientation so the browser cannot apply it; we do, once.
				return decodeNative(removeSegments(bytes, isExif), info.mime);
			}
			await ensureCodec('jpeg-dec');
			const { default: dec } = await import('@jsquash/jpeg/decode.js');
			return fromImageData(await dec(toArrayBuffer(bytes), { preserveOrientation: false }));
		}
		case 'png': {
			await ensureCodec('png');
			const { default: dec } = await import('@jsquash/png/decode.js');
			// bitDepth 8 makes the decoder scale 16-bit samples down (high byte, rounded by the codec).
			return fromImageData(await dec(toArrayBuffer(bytes), { bitDepth: 8 }));
		}
		case 'webp': {
			await ensureCodec('webp-dec');
			const { default: dec } = await import('@jsquash/webp/decode.js');
			if (info.frames > 1) {
				const f = extractFirstFrame(bytes);
				if (!f) throw new Error('animated WebP without a decodable first frame');
				const frame = fromImageData(await dec(toArrayBuffer(f.still)));
				return placeOnCanvas(frame, f.canvasWidth, f.canvasHeight, f.x, f.y);
			}
			return fromImageData(await dec(toArrayBuffer(bytes)));
		}
		case 'avif': {
			await ensureCodec('avif-dec');
			const { default: dec } = await import('@jsquash/avif/decode.js');
			let decoded: ImageData | null = null;
			let failure: unknown;
			try {
				decoded = await dec(toArrayBuffer(bytes), { bitDepth: 8 });
			} catch (e) {
				failure = e;
			}
			if (decoded) return fromImageData(decoded);
			// AVIF features libavif-in-WASM lacks may still decode natively.
			if (canDecodeNatively()) return decodeNative(bytes, info.mime);
			throw failure ?? new Error('Decoding error');
		}
		case 'gif':
			return decodeGif(bytes);
		case 'bmp':
			try {
				return decodeBmp(bytes);
			} catch (e) {
				if (!(e instanceof BmpUnsupported)) throw e;
				if (!canDecodeNatively()) throw needsBrowser(e.message);
				return decodeNative(bytes, info.mime);
			}
	}
}

/** jSquash answers ImageData (a polyfill under Node); copy out so no WASM memory is shared. */
function fromImageData(d: { width: number; height: number; data: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number } }): RGBAImage {
	const view = new Uint8ClampedArray(d.data.buffer, d.data.byteOffset, d.data.byteLength);
	const data = view.byteOffset === 0 && view.byteLength === view.buffer.byteLength && view.buffer instanceof ArrayBuffer ? view : new Uint8ClampedArray(view);
	return { width: d.width, height: d.height, data };
}

function placeOnCanvas(frame: RGBAImage, cw: number, ch: number, x: number, y: number): RGBAImage {
	if (frame.width === cw && frame.height === ch && x === 0 && y === 0) return frame;
	const out = new Uint8ClampedArray(cw * ch * 4);
	const w = Math.max(0, Math.min(frame.width, cw - x));
	for (let r = 0; r < frame.height && y + r < ch; r++) {
		out.set(frame.data.subarray(r * frame.width * 4, (r * frame.width + w) * 4), ((y + r) * cw + x) * 4);
	}
	return { width: cw, height: ch, data: out };
}
