/** PNG chunk surgery: listing, building (with CRC-32) and inserting metadata chunks. */
import { ascii, asciiBytes, concatBytes, crc32, u32be, writeU32be } from './bytes';

export { crc32 } from './bytes';

export interface PngChunk {
	type: string;
	/** Offset of the chunk's length field. */
	start: number;
	data: Uint8Array;
	end: number;
}

export function listChunks(png: Uint8Array): PngChunk[] {
	const out: PngChunk[] = [];
	let o = 8;
	while (o + 12 <= png.length) {
		const len = u32be(png, o);
		if (o + 12 + len > png.length) break;
		const type = ascii(png, o + 4, 4);
		out.push({ type, start: o, data: png.subarray(o + 8, o + 8 + len), end: o + 12 + len });
		o += 12 + len;
		if (type === 'IEND') break;
	}
	return out;
}

export function makeChunk(type: string, data: Uint8Array): Uint8Array {
	const out = new Uint8Array(12 + data.length);
	writeU32be(out, 0, data.length);
	out.set(asciiBytes(type), 4);
	out.set(data, 8);
	writeU32be(out, 8 + data.length, crc32(out.subarray(4, 8 + data.length)));
	return out;
}

/**
 * Returns a copy with chunks of `replaceTypes` removed and `chunks` inserted right after
 * IHDR, where every reader looks for colour and density information.
 */
export function insertChunksAfterIhdr(png: Uint8Array, chunks: Uint8Array[], replaceTypes: string[] = []): Uint8Array {
	const list = listChunks(png);
	if (list[0]?.type !== 'IHDR') throw new Error('PNG does not start with IHDR');
	const parts: Uint8Array[] = [png.subarray(0, list[0].end), ...chunks];
	for (const c of list.slice(1)) if (!replaceTypes.includes(c.type)) parts.push(png.subarray(c.start, c.end));
	return concatBytes(parts);
}

/** pHYs in pixels per metre with unit = metre, the only absolute unit PNG has. */
export function physChunk(dpi: number): Uint8Array {
	const ppm = Math.round(dpi / 0.0254);
	const d = new Uint8Array(9);
	writeU32be(d, 0, ppm);
	writeU32be(d, 4, ppm);
	d[8] = 1;
	return makeChunk('pHYs', d);
}

export function readPhysDpi(png: Uint8Array): number | undefined {
	const c = listChunks(png).find((x) => x.type === 'pHYs' || x.type === 'IDAT');
	if (!c || c.type !== 'pHYs' || c.data.length < 9 || c.data[8] !== 1) return undefined;
	const ppm = u32be(c.data, 0);
	return ppm > 0 ? Math.round(ppm * 0.0254) : undefined;
}

export function exifChunk(tiff: Uint8Array): Uint8Array {
	return makeChunk('eXIf', tiff);
}

/** iCCP: profile name, NUL, compression method 0, zlib stream. */
export async function iccpChunk(icc: Uint8Array, name = 'ICC Profile'): Promise<Uint8Array> {
	const z = await zlib(icc, 'compress');
	return makeChunk('iCCP', concatBytes([asciiBytes(name), new Uint8Array([0, 0]), z]));
}

export async function readIccp(png: Uint8Array): Promise<Uint8Array | undefined> {
	const c = listChunks(png).find((x) => x.type === 'iCCP');
	if (!c) return undefined;
	const nul = c.data.indexOf(0);
	if (nul < 0 || nul + 2 > c.data.length) return undefined;
	try {
		return await zlib(c.data.subarray(nul + 2), 'decompress');
	} catch {
		return undefined; // a broken profile is dropped, the image itself is still fine
	}
}

async function zlib(data: Uint8Array, dir: 'compress' | 'decompress'): Promise<Uint8Array> {
	const stream = dir === 'compress' ? new CompressionStream('deflate') : new DecompressionStream('deflate');
	const out = new Response(new Blob([data as BlobPart]).stream().pipeThrough(stream));
	return new Uint8Array(await out.arrayBuffer());
}
