/** The face_blur op, worker side: BlazeFace (tiled) + user regions, then redaction. */
import type { RGBAImage } from '../../core/image';
import type { FaceBlurOp } from '../../pipeline/ops';
import { detectFacesAnySize } from './detect';
import { expandBox, redactRegions, type RedactRegion } from './regions';

export interface BlurredBox {
	x: number;
	y: number;
	width: number;
	height: number;
	source: 'face' | 'region';
	/** Detector confidence, for faces. */
	score?: number;
}

export async function applyFaceBlur(img: RGBAImage, op: FaceBlurOp, info: Record<string, unknown>): Promise<RGBAImage> {
	const { width: W, height: H } = img;
	const regions: RedactRegion[] = [];
	const boxes: BlurredBox[] = [];
	if (op.detect) {
		const faces = await detectFacesAnySize(img);
		info.faces = faces.length;
		for (const f of faces) {
			const r = expandBox(f.box, op.margin, W, H);
			if (r.width <= 0 || r.height <= 0) continue;
			regions.push({ ...r, shape: op.shape ?? 'ellipse' });
			boxes.push({ ...r, source: 'face', score: Math.round(f.score * 1000) / 1000 });
		}
	} else info.faces = 0;
	for (const u of op.regions) {
		// A region reaching past the edge is clipped (one wholly outside was refused before decoding).
		const r = { x: u.x, y: u.y, width: Math.min(u.width, W - u.x), height: Math.min(u.height, H - u.y) };
		regions.push({ ...r, shape: u.shape ?? op.shape ?? 'rect' });
		boxes.push({ ...r, source: 'region' });
	}
	info.boxes = boxes;
	return regions.length ? redactRegions(img, regions, { style: op.style, strength: op.strength, color: op.color }) : img;
}
