/** `image.metadata` (seed 000) plus COS ImageInfo facts (seed 003): read-only facts about a file. */
import type { RGBAImage } from '../core/image';
import { orientedSize } from '../core/orient';
import { u32le } from './bytes';
import { decode } from './decode';
import { extractExifBlock, readExif } from './exif';
import { readJfifDensity } from './jpeg-segments';
import { estimateJpegQuality } from './jpeg-quality';
import { readPhysDpi } from './png-chunks';
import { tiffDpi } from './tiff';
import { DEFAULT_LIMITS, type HeaderInfo, type ImageMetadata, type Limits } from './types';

export async function readMetadata(bytes: Uint8Array, limits: Limits = DEFAULT_LIMITS): Promise<ImageMetadata> {
	// Orientation does not change the average colour, so skip rotating the pixels.
	const decoded = await decode(bytes, { limits, autoOrient: false });
	const { info, orientation } = decoded;
	const shown = orientedSize(info.width, info.height, orientation);
	const meta: ImageMetadata = {
		width: shown.width,
		height: shown.height,
		mime: info.mime,
		format: info.format,
		bytes: bytes.length,
		orientation,
		frames: info.frames,
		has_alpha: info.hasAlpha,
		bit_depth: info.bitDepth,
		Ave: averageColour(decoded.image),
		stored_width: info.width,
		stored_height: info.height
	};
	if (info.progressive !== undefined) meta.progressive = info.progressive;
	const exif = await readExif(bytes);
	if (exif) meta.exif = exif;
	if (info.format === 'jpeg') {
		const q = estimateJpegQuality(bytes);
		if (q !== undefined) meta.jpeg_quality = q;
	}
	const dpi = readDpi(bytes, info);
	if (dpi !== undefined) meta.dpi = dpi;
	return meta;
}

/** The container's own density field first, then EXIF X/YResolution. */
export function readDpi(bytes: Uint8Array, info: HeaderInfo): number | undefined {
	let dpi: number | undefined;
	if (info.format === 'jpeg') dpi = readJfifDensity(bytes);
	else if (info.format === 'png') dpi = readPhysDpi(bytes);
	else if (info.format === 'bmp' && bytes.length >= 46 && u32le(bytes, 14) >= 40) {
		const ppm = u32le(bytes, 38);
		dpi = ppm > 0 ? Math.round(ppm * 0.0254) : undefined;
	}
	if (dpi === undefined) {
		const block = extractExifBlock(bytes);
		if (block) dpi = tiffDpi(block);
	}
	return dpi;
}

/** "0xRRGGBB" of the alpha-weighted mean colour: transparent pixels do not count. */
export function averageColour(img: RGBAImage): string {
	const d = img.data;
	let r = 0;
	let g = 0;
	let b = 0;
	let a = 0;
	// Per-row partial sums keep the float accumulation exact for large images.
	for (let y = 0; y < img.height; y++) {
		let rr = 0;
		let gg = 0;
		let bb = 0;
		let aa = 0;
		const end = (y + 1) * img.width * 4;
		for (let i = y * img.width * 4; i < end; i += 4) {
			const w = d[i + 3];
			rr += d[i] * w;
			gg += d[i + 1] * w;
			bb += d[i + 2] * w;
			aa += w;
		}
		r += rr;
		g += gg;
		b += bb;
		a += aa;
	}
	if (a === 0) return '0x000000';
	const hex = (v: number) => Math.round(v / a).toString(16).padStart(2, '0');
	return `0x${hex(r)}${hex(g)}${hex(b)}`;
}
