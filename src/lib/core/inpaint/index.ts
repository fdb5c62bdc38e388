/**
 * Inpainting without weights: multi-scale PatchMatch / exemplar fill (`inpaint`) and the
 * harmonic diffusion baseline (`diffuseFill`). Pure pixel code: runs in a Web Worker or Node.
 *
 * Algorithm (inpaint):
 *  1. Hole pixels are grouped into 8-connected components; each component's bounding box
 *     grows by a margin of max(4P, 2P + 2·min(bw, bh)) (P = patch size, 7), and overlapping
 *     boxes merge. Each box is filled independently, so a small hole in a 12-MP photo costs a
 *     small crop. Pixels under the hole are never read.
 *  2. Pyramid of the crop (2× per level, [1 3 3 1] tent over known pixels only; a coarse pixel
 *     is hole if any child is), going coarser while the hole is deeper than half a patch, the
 *     level is at least 4P on a side and still has ≥ max(48, targets/2) whole source patches.
 *  3. Coarsest level: harmonic fill as the start, random NNF, then EM rounds (6) of
 *     PatchMatch (Barnes 2009: scan-order propagation + random search at halving radii,
 *     alternating scan direction, 2 sweeps per round) and voting (Wexler 2007: each hole pixel
 *     = weighted mean of what the overlapping patches' matches say; weight =
 *     exp(−SSD / 2σ²), σ² the 75th percentile SSD, × confidence 1.3^−depth-into-hole).
 *     Targets = every patch overlapping the hole (clipped at the crop edge, so holes may touch
 *     the image border); sources = patches wholly inside the level and outside the hole.
 *  4. Finer levels: NNF upsampled (2s + parity), hole start = bilinear of the coarse fill,
 *     one vote, then EM rounds (3 in the middle, 2 at full size with 1 sweep each).
 *  5. Seeded mulberry32 PRNG: same inputs + seed → byte-identical output. If a crop has no
 *     whole source patch it widens to the whole image; failing that, harmonic fill.
 *
 * Measured (tests/unit/inpaint-photos.test.ts, face-api demo photos 1920 px wide, in-hole
 * PSNR (RGB) / SSIM (luma, Gaussian σ 1.5 windows centred in the hole); run with
 * INPAINT_LOOK=1 to write original | hole | diffusion | PatchMatch strips to /tmp/inpaint-check):
 *
 *   case (hole)                   diffusion          PatchMatch
 *   p1 plaid, 160×48 rect         23.71 dB  0.707    20.09 dB  0.558
 *   p1 plaid, "WATERMARK" text    36.68 dB  0.952    34.07 dB  0.915
 *   p1 hair/door edge, 64×64      24.23 dB  0.665    22.91 dB  0.663
 *   p2 hair, 160×48 rect          26.55 dB  0.813    28.19 dB  0.803
 *   p2 leather sofa, text         41.78 dB  0.964    40.33 dB  0.956
 *   p2 sofa/wall edge, 64×64      24.05 dB  0.902    23.76 dB  0.910
 *   p3 window grid, 160×48 rect   21.46 dB  0.749    20.00 dB  0.757
 *   p3 tufted sofa, text          27.81 dB  0.902    26.51 dB  0.876
 *   p3 window frame edge, 64×64   16.01 dB  0.720    24.34 dB  0.892
 *   synthetic stripes, 48×36      11.93 dB  0.395    34.12 dB  0.952
 *   synthetic checker, 48×36      11.58 dB  0.127    37.32 dB  0.997
 *
 * PSNR and SSIM both reward the mean (a blur) when a texture is continued plausibly but
 * out of phase with the truth (plaid): there PatchMatch scores lower yet looks right, while
 * diffusion leaves a visible smear. Where structure is predictable (edges, periodic
 * textures) PatchMatch wins by a wide margin.
 *
 * Speed (one core, Node 22, V8, while another test run shared the 2-core box): 200×60 hole
 * in a 1920×1367 photo 0.30 s (1.3 s under heavy load); 160×48 holes 0.15–0.35 s; text masks
 * 0.15–0.2 s; 64×64 squares 0.15–0.3 s. diffuseFill: 40–130 ms.
 */
import { invalidParam } from '../../api/errors';
import type { RGBAImage } from '../image';
import { harmonicFill } from './harmonic';
import { patchMatchFill, type PatchMatchOptions } from './patchmatch';
import { holeBoxes, type Box } from './regions';

export { maskedPsnr, maskedSsim } from './metrics';

export interface InpaintOptions {
	/** Odd patch side, 3–15 (default 7). */
	patchSize?: number;
	/** PRNG seed (default 1): the same inputs and seed give byte-identical output. */
	seed?: number;
}

function checkInputs(img: RGBAImage, mask: Uint8Array): number {
	const n = img.width * img.height;
	if (!(mask instanceof Uint8Array) || mask.length !== n) throw invalidParam('mask', `a Uint8Array of ${n} entries (one per pixel)`, mask?.length);
	let holes = 0;
	for (let i = 0; i < n; i++) if (mask[i]) holes++;
	if (holes === n) throw invalidParam('mask', 'at least one pixel left unmasked to fill from', 'a mask covering the whole image');
	return holes;
}

/** The crop `b` of `img` as interleaved floats (3 channels when the crop is opaque, else 4), and its hole. */
function cropFloat(img: RGBAImage, mask: Uint8Array, b: Box): { buf: Float32Array; hole: Uint8Array; w: number; h: number; ch: number } {
	const w = b.x1 - b.x0;
	const h = b.y1 - b.y0;
	const d = img.data;
	let opaque = true;
	for (let y = b.y0; y < b.y1 && opaque; y++)
		for (let x = b.x0; x < b.x1; x++)
			if (d[(y * img.width + x) * 4 + 3] !== 255) {
				opaque = false;
				break;
			}
	const ch = opaque ? 3 : 4;
	const buf = new Float32Array(w * h * ch);
	const hole = new Uint8Array(w * h);
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++) {
			const i = (b.y0 + y) * img.width + b.x0 + x;
			const j = y * w + x;
			hole[j] = mask[i] ? 1 : 0;
			if (hole[j]) continue; // what lies under the hole is never read
			for (let k = 0; k < ch; k++) buf[j * ch + k] = d[i * 4 + k];
		}
	return { buf, hole, w, h, ch };
}

function writeBack(out: RGBAImage, b: Box, c: { buf: Float32Array; hole: Uint8Array; w: number; h: number; ch: number }): void {
	const d = out.data;
	for (let y = 0; y < c.h; y++)
		for (let x = 0; x < c.w; x++) {
			const j = y * c.w + x;
			if (!c.hole[j]) continue;
			const i = ((b.y0 + y) * out.width + b.x0 + x) * 4;
			for (let k = 0; k < c.ch; k++) d[i + k] = Math.round(c.buf[j * c.ch + k]);
			if (c.ch === 3) d[i + 3] = 255;
		}
}

/**
 * Diffusion baseline: every masked pixel (mask ≠ 0) becomes the harmonic interpolation
 * of the unmasked pixels around it (a smooth membrane; no texture). Unmasked pixels are
 * returned byte-identical.
 */
export function diffuseFill(img: RGBAImage, mask: Uint8Array): RGBAImage {
	const holes = checkInputs(img, mask);
	const out: RGBAImage = { width: img.width, height: img.height, data: new Uint8ClampedArray(img.data) };
	if (holes === 0) return out;
	for (const b of holeBoxes(mask, img.width, img.height, () => 2)) {
		const c = cropFloat(img, mask, b);
		harmonicFill(c.buf, c.w, c.h, c.ch, c.hole);
		writeBack(out, b, c);
	}
	return out;
}

const DEFAULTS: Omit<PatchMatchOptions, 'patchSize' | 'seed'> = { emCoarse: 6, emMiddle: 3, emFine: 2, pmSweeps: 2, pmFine: 1 };

/**
 * Exemplar-based fill: masked pixels (mask ≠ 0) are rebuilt from patches of the rest of
 * the image, so textures and edges continue into the hole. Unmasked pixels are returned
 * byte-identical. Throws when the mask covers every pixel.
 */
export function inpaint(img: RGBAImage, mask: Uint8Array, opts: InpaintOptions = {}): RGBAImage {
	const holes = checkInputs(img, mask);
	const patchSize = opts.patchSize ?? 7;
	if (!Number.isInteger(patchSize) || patchSize < 3 || patchSize > 15 || patchSize % 2 === 0) throw invalidParam('patchSize', 'an odd integer from 3 to 15', patchSize);
	const seed = opts.seed ?? 1;
	const out: RGBAImage = { width: img.width, height: img.height, data: new Uint8ClampedArray(img.data) };
	if (holes === 0) return out;
	const { width: W, height: H } = img;
	// Context around each hole: enough that the coarsest level still holds whole patches
	// around a hole of this thickness, and some variety of texture to copy.
	const margin = (bw: number, bh: number) => Math.max(4 * patchSize, 2 * patchSize + 2 * Math.min(bw, bh));
	for (const b of holeBoxes(mask, W, H, margin)) {
		let box = b;
		let c = cropFloat(img, mask, box);
		let done = patchMatchFill(c.buf, c.w, c.h, c.ch, c.hole, { ...DEFAULTS, patchSize, seed });
		if (!done && (box.x0 > 0 || box.y0 > 0 || box.x1 < W || box.y1 < H)) {
			// Nothing to copy from in the crop: widen to the whole image.
			box = { x0: 0, y0: 0, x1: W, y1: H };
			c = cropFloat(img, mask, box);
			done = patchMatchFill(c.buf, c.w, c.h, c.ch, c.hole, { ...DEFAULTS, patchSize, seed });
		}
		// No whole patch outside the hole anywhere (tiny image, or a mask leaving only slivers): smooth fill.
		if (!done) harmonicFill(c.buf, c.w, c.h, c.ch, c.hole);
		writeBack(out, box, c);
	}
	return out;
}
