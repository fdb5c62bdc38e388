/**
 * Putting a network's fill back: only the hole pixels of the crop change, and only their RGB
 * (networks know nothing of alpha), so every pixel outside the mask stays byte-identical.
 */
import type { Box } from '../../core/inpaint/regions';
import type { RGBAImage } from '../../core/image';

/** Writes `filled` (the crop's size) into `out` at `box`, where `hole` (crop-sized, 1 = hole) is set. */
export function pasteHole(out: RGBAImage, box: Box, filled: RGBAImage, hole: Uint8Array): number {
	const w = box.x1 - box.x0;
	const h = box.y1 - box.y0;
	if (filled.width !== w || filled.height !== h || hole.length !== w * h) throw new RangeError(`pasteHole: a ${w}×${h} crop needs a ${w}×${h} fill and hole`);
	const d = out.data;
	const f = filled.data;
	let n = 0;
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++) {
			const j = y * w + x;
			if (!hole[j]) continue;
			const i = ((box.y0 + y) * out.width + box.x0 + x) * 4;
			d[i] = f[j * 4];
			d[i + 1] = f[j * 4 + 1];
			d[i + 2] = f[j * 4 + 2];
			n++;
		}
	return n;
}
