/**
 * Seed 002 (Cloud Infinite ImageRepair): the parts of a repair job that cross the
 * worker boundary. Pure data: no DOM, no worker globals.
 */
import type { Limits } from '../../codecs/types';
import type { OutputPlan } from '../../pipeline/output';
import type { NetworkSpec } from '../inpaint-net/types';

/** One polygon: [[x, y], …] in pixels of the EXIF-oriented image (fractions allowed). */
export type Polygon = [number, number][];

/** Where the mask comes from; `param` is the name the caller used (MaskPic, mask_pic, MaskPoly, mask_poly). */
export type RepairMaskSource = { kind: 'pic'; bytes: Uint8Array; param: string } | { kind: 'poly'; polygons: Polygon[]; param: string };

export interface RepairJob {
	bytes: Uint8Array;
	mask: RepairMaskSource;
	/** Pixels the mask grows by on every side (covers anti-aliased logo edges). */
	dilate: number;
	output: OutputPlan;
	limits: Limits;
	/** The user's inpainting network to fill with (engine resolved on the page); absent = PatchMatch. */
	network?: NetworkSpec;
}

export interface RepairResult {
	bytes: Uint8Array;
	mime: string;
	width: number;
	height: number;
	/** What the response adds to the ProcessedImage shape. */
	info: {
		/** 'patchmatch', or the network as `migan:<name>` / `lama:<name>`. */
		model: string;
		engine: 'patchmatch' | 'network';
		mask_source: string;
		/** Pixels repainted (the mask after dilation). */
		mask_pixels: number;
		/** Bounding box of the repainted pixels: nothing outside it changes. */
		mask_box: { x: number; y: number; width: number; height: number };
		ms: number;
	};
}

/** Default growth of the mask, in pixels. */
export const DEFAULT_DILATE = 3;
export const MAX_DILATE = 64;
