/**
 * The pixels as 32-bit words, for moves that never look inside a pixel (flop, rot90,
 * nearest). A typed-array view needs a 4-byte-aligned offset; a buffer handed over
 * as an unaligned subarray is copied rather than failing.
 */
export function pixelWords(data: Uint8ClampedArray): Uint32Array {
	if (data.byteOffset % 4 !== 0) data = new Uint8ClampedArray(data);
	return new Uint32Array(data.buffer, data.byteOffset, data.length >> 2);
}
