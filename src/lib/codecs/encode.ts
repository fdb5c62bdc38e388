/**
 * RGBA pixels → JPEG (MozJPEG), PNG (+ oxipng), WebP or AVIF bytes, with metadata and
 * density written on purpose: stripped unless `metadata` is passed, orientation reset to
 * 1 because the pixels are already upright.
 */
import { invalidParam } from '../api/errors';
import { isOpaque, type RGBAImage } from '../core/image';
import { exifSegment, iccSegments, insertSegments, isExif, isIcc, MAX_JPEG_EXIF, setJfifDensity } from './jpeg-segments';
import { exifChunk, iccpChunk, insertChunksAfterIhdr, physChunk } from './png-chunks';
import { encodePngFast } from './png-encode';
import { rewriteTiff } from './tiff';
import { DEFAULT_QUALITY, OUTPUT_FORMATS, type EncodeOptions, type OutputFormat } from './types';
import { ensureCodec } from './wasm-init';
import { setWebpMetadata } from './webp-chunks';

export { DEFAULT_QUALITY };

/**
 * libaom speed 8: a 12 MP photo encodes in seconds rather than a minute in WASM, at a
 * small size cost against the default 6.
 */
export const AVIF_SPEED = 8;

export function validateQuality(q: unknown): number {
	if (typeof q !== 'number' || !Number.isFinite(q) || q < 0 || q > 100) throw invalidParam('quality', 'number between 0 and 100', q);
	return Math.round(q);
}

export function validateDpi(dpi: unknown): number {
	if (typeof dpi !== 'number' || !Number.isFinite(dpi) || dpi <= 0 || dpi > 65535) throw invalidParam('dpi', 'positive number up to 65535', dpi);
	return Math.round(dpi) || 1;
}

function validateImage(img: RGBAImage): void {
	const ok = img && Number.isInteger(img.width) && Number.isInteger(img.height) && img.width > 0 && img.height > 0 && img.data?.length === img.width * img.height * 4;
	if (!ok) throw invalidParam('image', 'RGBA image with data.length = width * height * 4', img);
}

export async function encode(img: RGBAImage, opts: EncodeOptions): Promise<Uint8Array> {
	validateImage(img);
	if (!OUTPUT_FORMATS.includes(opts?.format)) throw invalidParam('format', `one of ${OUTPUT_FORMATS.join(', ')}`, opts?.format);
	const quality = opts.quality === undefined ? undefined : validateQuality(opts.quality);
	const dpi = opts.dpi === undefined ? undefined : validateDpi(opts.dpi);
	// Pixels are upright by now, so a kept Orientation tag must say so.
	const exif = opts.metadata?.exif ? rewriteTiff(opts.metadata.exif, dpi === undefined ? { orientation: 1 } : { orientation: 1, dpi }) : undefined;
	const icc = opts.metadata?.icc;

	switch (opts.format) {
		case 'jpeg':
			return encodeJpegWithMetadata(img, quality ?? DEFAULT_QUALITY.jpeg, { dpi, exif, icc, originalExif: opts.metadata?.exif });
		case 'png': {
			let png = await encodePng(img, !!opts.optimize);
			// Added after oxipng, which would strip them.
			const chunks: Uint8Array[] = [];
			const replaced: string[] = [];
			if (dpi !== undefined) {
				chunks.push(physChunk(dpi));
				replaced.push('pHYs');
			}
			if (icc) {
				chunks.push(await iccpChunk(icc));
				replaced.push('iCCP', 'sRGB'); // an iCCP and an sRGB chunk must not coexist
			}
			if (exif) {
				chunks.push(exifChunk(exif));
				replaced.push('eXIf');
			}
			if (chunks.length) png = insertChunksAfterIhdr(png, chunks, replaced);
			return png;
		}
		case 'webp': {
			const webp = await encodeWebp(img, quality ?? DEFAULT_QUALITY.webp, !!opts.lossless);
			// WebP has no density field; dpi travels only inside EXIF.
			return exif || icc ? setWebpMetadata(webp, img.width, img.height, { exif, icc }) : webp;
		}
		case 'avif':
			// Metadata is not written to AVIF: jSquash cannot attach Exif/ICC items, and adding
			// HEIF items means rewriting iloc offsets into mdat. Documented as stripped.
			return encodeAvif(img, quality ?? DEFAULT_QUALITY.avif, !!opts.lossless);
	}
}

async function encodeJpegWithMetadata(
	img: RGBAImage,
	quality: number,
	m: { dpi?: number; exif?: Uint8Array; icc?: Uint8Array; originalExif?: Uint8Array }
): Promise<Uint8Array> {
	let jpeg = await encodeJpeg(img, quality);
	if (m.dpi !== undefined) jpeg = setJfifDensity(jpeg, m.dpi);
	let exif = m.exif;
	// One APP1 holds at most 64 KiB. If the rewritten block grew past that, fall back to
	// patching in place only (no added resolution tags); failing that, the block cannot
	// be carried in JPEG at all.
	if (exif && exif.length > MAX_JPEG_EXIF && m.originalExif) exif = rewriteTiff(m.originalExif, { orientation: 1 });
	if (exif && exif.length <= MAX_JPEG_EXIF) jpeg = insertSegments(jpeg, [exifSegment(exif)], 0, isExif);
	if (m.icc) jpeg = insertSegments(jpeg, iccSegments(m.icc), 1, isIcc);
	return jpeg;
}

/** A tight RGBA buffer: some jSquash encoders read `data.buffer` whole, ignoring the view. */
function imageData(img: RGBAImage, data: Uint8ClampedArray = img.data): ImageData {
	const tight = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer ? data : new Uint8ClampedArray(data);
	return { data: tight, width: img.width, height: img.height, colorSpace: 'srgb' } as ImageData;
}

/** JPEG has no alpha: transparent pixels are shown over white, not over black. */
export function flattenOnWhite(img: RGBAImage): Uint8ClampedArray {
	if (isOpaque(img)) return img.data;
	const s = img.data;
	const d = new Uint8ClampedArray(s.length);
	for (let i = 0; i < s.length; i += 4) {
		const a = s[i + 3];
		const k = 255 - a;
		d[i] = (s[i] * a + 255 * k + 127) / 255;
		d[i + 1] = (s[i + 1] * a + 255 * k + 127) / 255;
		d[i + 2] = (s[i + 2] * a + 255 * k + 127) / 255;
		d[i + 3] = 255;
	}
	return d;
}

/** MozJPEG: progressive, optimised Huffman, 4:2:0, MozJPEG's default quantisation tables. */
export async function encodeJpeg(img: RGBAImage, quality: number): Promise<Uint8Array> {
	await ensureCodec('jpeg-enc');
	const { default: enc } = await import('@jsquash/jpeg/encode.js');
	const out = await enc(imageData(img, flattenOnWhite(img)), {
		quality: Math.max(1, quality),
		progressive: true,
		optimize_coding: true,
		auto_subsample: false,
		chroma_subsample: 2
	});
	return new Uint8Array(out);
}

/**
 * Our own encoder (png-encode.ts): colour type from the pixels, adaptive filtering, the
 * platform's zlib. Half the size of jSquash's always-RGBA, fast-deflate output on photos,
 * at a fraction of oxipng's time. `optimize` hands that PNG to oxipng for more.
 */
export async function encodePng(img: RGBAImage, optimize: boolean): Promise<Uint8Array> {
	const png = await encodePngFast(img);
	if (!optimize) return png;
	await ensureCodec('oxipng');
	const { default: optimise } = await import('@jsquash/oxipng/optimise.js');
	// optimiseAlpha stays off: it rewrites the colour of fully transparent pixels, and
	// PNG output is promised to be pixel-exact.
	const out = new Uint8Array(await optimise(png.slice().buffer, { level: 2, interlace: false, optimiseAlpha: false }));
	return out.length < png.length ? out : png;
}

export async function encodeWebp(img: RGBAImage, quality: number, lossless: boolean): Promise<Uint8Array> {
	await ensureCodec('webp-enc');
	const { default: enc } = await import('@jsquash/webp/encode.js');
	// exact: keep RGB under alpha 0 so lossless really is lossless.
	const out = await enc(imageData(img), lossless ? { quality: 100, lossless: 1, exact: 1 } : { quality });
	return new Uint8Array(out);
}

export async function encodeAvif(img: RGBAImage, quality: number, lossless: boolean): Promise<Uint8Array> {
	await ensureCodec('avif-enc');
	const { default: enc } = await import('@jsquash/avif/encode.js');
	const out = await enc(imageData(img), lossless ? { lossless: true, speed: AVIF_SPEED } : { quality, speed: AVIF_SPEED });
	return new Uint8Array(out);
}
