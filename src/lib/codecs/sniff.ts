/**
 * Format detection by magic bytes only: file names and MIME types from the user are
 * not trusted. Also recognises the common non-images people drop on an image tool so
 * the error can say what the file looks like.
 */
import { ascii, startsWith, u32le } from './bytes';
import { ftypBrands } from './isobmff';
import type { InputFormat } from './types';

export const SUPPORTED_FORMATS_TEXT = 'JPEG, PNG, WebP, AVIF, GIF, BMP';

export type Sniffed = { kind: 'image'; format: InputFormat } | { kind: 'other'; looksLike?: string };

// Known DIB header sizes: 'BM' alone is too weak a signature (text can start with it).
const BMP_DIB_SIZES = [12, 16, 40, 52, 56, 64, 108, 124];

const HEIF_BRANDS = ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1', 'mif2'];
const VIDEO_BRANDS = ['isom', 'iso2', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'M4V ', 'M4A ', 'dash', '3gp4', '3gp5', '3g2a'];

export function sniff(b: Uint8Array): Sniffed {
	if (startsWith(b, [0xff, 0xd8, 0xff])) return { kind: 'image', format: 'jpeg' };
	if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'image', format: 'png' };
	if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return { kind: 'image', format: 'webp' };
	if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') return { kind: 'image', format: 'gif' };
	if (ascii(b, 0, 2) === 'BM' && (b.length < 18 || BMP_DIB_SIZES.includes(u32le(b, 14)))) return { kind: 'image', format: 'bmp' };

	const brands = ftypBrands(b);
	if (brands) {
		if (brands.includes('avif') || brands.includes('avis')) return { kind: 'image', format: 'avif' };
		if (brands.some((x) => HEIF_BRANDS.includes(x))) return { kind: 'other', looksLike: 'a HEIC/HEIF image' };
		if (brands[0] === 'qt  ') return { kind: 'other', looksLike: 'a QuickTime video' };
		if (brands.some((x) => VIDEO_BRANDS.includes(x))) return { kind: 'other', looksLike: 'an MP4 video' };
		if (brands.includes('jxl ')) return { kind: 'other', looksLike: 'a JPEG XL image' };
		if (brands.includes('crx ')) return { kind: 'other', looksLike: 'a Canon RAW (CR3) image' };
		return { kind: 'other', looksLike: `an ISO media file (brand '${brands[0].trim()}')` };
	}
	return { kind: 'other', looksLike: looksLike(b) };
}

function looksLike(b: Uint8Array): string | undefined {
	if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'a TIFF image (or camera RAW)';
	if (startsWith(b, [0x49, 0x49, 0x2b, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2b])) return 'a BigTIFF image';
	if (startsWith(b, [0x00, 0x00, 0x01, 0x00])) return 'an ICO icon';
	if (startsWith(b, [0x00, 0x00, 0x02, 0x00])) return 'a CUR cursor';
	if (ascii(b, 0, 5) === '%PDF-') return 'a PDF document';
	if (ascii(b, 0, 4) === '8BPS') return 'a Photoshop (PSD) document';
	if (startsWith(b, [0xff, 0x0a]) || startsWith(b, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20])) return 'a JPEG XL image';
	if (startsWith(b, [0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20]) || startsWith(b, [0xff, 0x4f, 0xff, 0x51])) return 'a JPEG 2000 image';
	if (ascii(b, 0, 4) === 'qoif') return 'a QOI image';
	if (ascii(b, 0, 4) === 'RIFF') return `a RIFF '${ascii(b, 8, 4).trim()}' file (not WebP)`;
	if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return 'a ZIP archive (or an Office document)';
	if (startsWith(b, [0x1f, 0x8b])) return 'a gzip archive';
	if (startsWith(b, [0x1a, 0x45, 0xdf, 0xa3])) return 'a WebM/Matroska video';
	if (ascii(b, 0, 4) === 'OggS') return 'an Ogg file';
	if (ascii(b, 0, 3) === 'ID3' || startsWith(b, [0xff, 0xfb])) return 'an MP3 file';
	if (ascii(b, 0, 4) === 'wOFF' || ascii(b, 0, 4) === 'wOF2') return 'a web font';
	if (ascii(b, 0, 2) === 'P1' || ascii(b, 0, 2) === 'P3' || ascii(b, 0, 2) === 'P6') {
		if (b.length > 2 && (b[2] === 0x0a || b[2] === 0x20 || b[2] === 0x0d)) return 'a Netpbm (PPM/PGM) image';
	}
	return textKind(b);
}

/** Classifies text: markup first, then JSON, then anything that decodes as printable. */
function textKind(b: Uint8Array): string | undefined {
	const head = decodeHead(b);
	if (head === undefined) return undefined;
	const t = head.replace(/^\uFEFF/, '').trimStart();
	const lower = t.slice(0, 1024).toLowerCase();
	if (lower.startsWith('<svg') || /^<\?xml[^>]*>\s*(<!--[\s\S]*?-->\s*)*(<!doctype svg[^>]*>\s*)?<svg/.test(lower) || (lower.startsWith('<?xml') && lower.includes('<svg')))
		return 'an SVG document (vector graphics; rasterise it first)';
	if (lower.startsWith('<!doctype html') || lower.startsWith('<html') || /^<(head|body|meta|script|div|title)\b/.test(lower))
		return 'an HTML document (perhaps an error page saved instead of the image)';
	if (lower.startsWith('<?xml') || lower.startsWith('<')) return 'an XML document';
	if (lower.startsWith('{') || lower.startsWith('[')) {
		try {
			JSON.parse(t);
			return 'a JSON document';
		} catch {
			if (b.length > 4096) return 'a JSON document';
		}
	}
	if (lower.startsWith('data:image/') || /^[a-z0-9+/]{64,}={0,2}\s*$/i.test(t.slice(0, 200))) return 'base64 text (decode it to bytes first)';
	return 'plain text';
}

/** The first 4 KiB as text when it is plausibly text (no control bytes besides whitespace). */
function decodeHead(b: Uint8Array): string | undefined {
	const n = Math.min(b.length, 4096);
	if (n === 0) return undefined;
	let bad = 0;
	for (let i = 0; i < n; i++) {
		const c = b[i];
		if (c < 0x09 || (c > 0x0d && c < 0x20 && c !== 0x1b)) bad++;
	}
	if (bad > n / 100) return undefined;
	// Not fatal: cutting at 4 KiB may split a UTF-8 sequence. Legacy 8-bit text shows up
	// as a few replacement characters, binary as many.
	const s = new TextDecoder('utf-8').decode(b.subarray(0, n));
	let replaced = 0;
	for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 0xfffd) replaced++;
	return replaced > s.length / 20 ? undefined : s;
}
