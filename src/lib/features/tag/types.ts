import type { Limits } from '../../codecs/types';
import type { PaletteColour } from './colours';
import type { StyleVerdict } from './style';
import type { TextPresence } from './text';

export type TagSource = 'objects' | 'faces' | 'text' | 'colour' | 'style';

export interface TagBox {
	x: number;
	y: number;
	width: number;
	height: number;
	confidence: number;
}

/** One label + confidence pair (seed 000 image.tag), with where it came from. */
export interface Tag {
	label: string;
	label_zh: string;
	/** 0..1; for colour tags the share of the image that colour covers. */
	confidence: number;
	source: TagSource;
	/** objects and faces: how many were found. */
	count?: number;
	/** objects and faces: every instance in source pixels. */
	boxes?: TagBox[];
	/** colour tags. */
	hex?: string;
	share?: number;
}

export interface TagParams {
	max_tags: number;
	min_confidence: number;
}

export interface TagResult {
	/** Sorted by confidence, at most max_tags, none below min_confidence. */
	tags: Tag[];
	/** Every COCO object found at ≥ min_confidence, one entry per instance. */
	objects: { label: string; label_zh: string; confidence: number; box: TagBox }[];
	faces: number;
	text: TextPresence;
	/** Palette of up to 6 clusters, largest first (always complete, whatever min_confidence). */
	colours: PaletteColour[];
	style: StyleVerdict;
	width: number;
	height: number;
	models: string[];
	/** Milliseconds per stage and in all (decode excluded). */
	ms: { objects: number; faces: number; text: number; colour: number; style: number; total: number };
	backend: string;
}

export interface TagJob {
	bytes: Uint8Array;
	limits: Limits;
	params: TagParams;
}
