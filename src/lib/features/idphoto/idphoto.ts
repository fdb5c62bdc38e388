/**
 * HivisionIDPhotos' calls on pixels, in the worker: face → (alignment) → matte →
 * crop plan → standard and HD photos; background, print sheet, matting alone.
 */
import { DarkroomError } from '../../api/errors';
import { createImage, type RGBAImage } from '../../core/image';
import { compositeOver, flattenOnto } from '../../core/compose';
import { resizeImage } from '../../core/resample';
import { rotateImage } from '../../core/rotate';
import { planIdPhotoCrop, hdSize, type IdPhotoCropPlan } from '../../core/idphoto/crop';
import { addBackground, parseHexColour, type BackgroundRender } from '../../core/idphoto/background';
import { layoutSheet, renderSheet } from '../../core/idphoto/layout';
import { adjustImage, isNoAdjustment, type Adjustments } from '../../core/adjust';
import { detectFaces, type Face } from '../faces/detect';
import { matteSubject, type MatteMode } from '../matting/matting';
import type { CropParams } from '../../pipeline/idphoto-params';

export interface IdPhotoResult {
	standard: RGBAImage;
	hd?: RGBAImage;
	face: Face;
	plan: IdPhotoCropPlan;
	/** Roll corrected by face alignment, degrees (0 when off or level). */
	rollDegrees: number;
	model: string;
}

/** Exactly one face, or an error that says how many were found. */
export async function singleFace(img: RGBAImage): Promise<Face> {
	const faces = await detectFaces(img);
	if (faces.length === 0)
		throw new DarkroomError('unprocessable', 'No face found in the image: an ID photo needs one clearly visible, front-facing face', 'input_image');
	if (faces.length > 1)
		throw new DarkroomError('unprocessable', `Found ${faces.length} faces in the image; an ID photo needs exactly one (crop the photo to one person)`, 'input_image');
	return faces[0];
}

/** The eye line's angle from horizontal, degrees; positive when it descends to the right of the image. */
export function eyeRoll(face: Face): number {
	const r = face.keypoints.find((k) => k.name === 'rightEye');
	const l = face.keypoints.find((k) => k.name === 'leftEye');
	if (!r || !l) return 0;
	return (Math.atan2(l.y - r.y, l.x - r.x) * 180) / Math.PI;
}

/** Top of the head: the first row where the matte is opaque across part of the face's columns. */
export function headTopFromAlpha(img: RGBAImage, face: Face): number {
	const x0 = Math.max(0, Math.floor(face.box.x));
	const x1 = Math.min(img.width, Math.ceil(face.box.x + face.box.width));
	const need = Math.max(1, Math.round((x1 - x0) * 0.1));
	const limit = Math.min(img.height, Math.ceil(face.box.y + face.box.height / 2));
	for (let y = 0; y < limit; y++) {
		let n = 0;
		for (let x = x0; x < x1; x++) if (img.data[(y * img.width + x) * 4 + 3] > 127) n++;
		if (n >= need) return y;
	}
	return Math.max(0, face.box.y);
}

/** Cuts the (fractional, possibly out-of-bounds) crop out of `img` onto a transparent canvas and scales it. */
export function renderCrop(img: RGBAImage, crop: { x: number; y: number; width: number; height: number }, outW: number, outH: number): RGBAImage {
	const cw = Math.max(1, Math.round(crop.width));
	const ch = Math.max(1, Math.round(crop.height));
	const canvas = createImage(cw, ch);
	compositeOver(canvas, img, -Math.round(crop.x), -Math.round(crop.y), 1);
	return cw === outW && ch === outH ? canvas : resizeImage(canvas, outW, outH, 'lanczos3');
}

function cropFromMatte(matted: RGBAImage, face: Face, p: CropParams) {
	const plan = planIdPhotoCrop({
		sourceWidth: matted.width,
		sourceHeight: matted.height,
		face: face.box,
		headTop: headTopFromAlpha(matted, face),
		width: p.width,
		height: p.height,
		head_measure_ratio: p.head_measure_ratio,
		head_height_ratio: p.head_height_ratio,
		top_distance_max: p.top_distance_max,
		top_distance_min: p.top_distance_min
	});
	const standard = renderCrop(matted, plan.crop, p.width, p.height);
	let hd: RGBAImage | undefined;
	if (p.hd) {
		const s = hdSize(p.width, p.height, plan.crop);
		hd = renderCrop(matted, plan.crop, s.width, s.height);
	}
	return { plan, standard, hd };
}

export async function makeIdPhoto(img: RGBAImage, p: CropParams & { face_alignment: boolean; matting: { mode: MatteMode } }): Promise<IdPhotoResult> {
	let face = await singleFace(img);
	let rollDegrees = 0;
	let source = img;
	if (p.face_alignment) {
		const roll = eyeRoll(face);
		// Below a degree the resampling would cost more sharpness than the tilt costs looks.
		if (Math.abs(roll) >= 1 && Math.abs(roll) <= 45) {
			source = rotateImage(img, -roll);
			face = await singleFace(flattenOnto(source, [255, 255, 255, 255]));
			rollDegrees = roll;
		}
	}
	const matte = await matteSubject(source, { mode: p.matting.mode });
	// Corners a rotation added are transparent in the source: keep them so.
	if (source !== img) for (let i = 3; i < source.data.length; i += 4) matte.image.data[i] = Math.min(matte.image.data[i], source.data[i]);
	const { plan, standard, hd } = cropFromMatte(matte.image, face, p);
	const out: IdPhotoResult = { standard, face, plan, rollDegrees, model: matte.model };
	if (hd) out.hd = hd;
	return out;
}

/** idphoto_crop: the input is already matted (RGBA); faces are found on it flattened onto white. */
export async function cropMatted(rgba: RGBAImage, p: CropParams): Promise<{ standard: RGBAImage; hd?: RGBAImage; plan: IdPhotoCropPlan }> {
	const face = await singleFace(flattenOnto(rgba, [255, 255, 255, 255]));
	return cropFromMatte(rgba, face, p);
}

/** The beauty adjustments on a (transparent) photo; the very same image back when there are none. */
export function adjustPhoto(img: RGBAImage, adjust: Partial<Adjustments> | undefined): RGBAImage {
	return !adjust || isNoAdjustment(adjust) ? img : adjustImage(img, adjust);
}

export function withBackground(rgba: RGBAImage, color: string, render: BackgroundRender): RGBAImage {
	return addBackground(rgba, parseHexColour(color, 'color'), render);
}

/** A six-inch sheet (1205×1795 at 300 dpi) filled with as many copies as fit. */
export function sixInchSheet(photo: RGBAImage, width: number, height: number): { sheet: RGBAImage; count: number } {
	const sized = photo.width === width && photo.height === height ? photo : resizeImage(photo, width, height, 'lanczos3');
	const layout = layoutSheet('6-inch', [{ width, height }]);
	const sheet = renderSheet(layout.sheetWidth, layout.sheetHeight, layout.placements, [flattenOnto(sized, [255, 255, 255, 255])]);
	return { sheet, count: layout.placements.length };
}
