/**
 * Face detection for layout decisions (what to blur, where to crop) on photos of any size.
 * BlazeFace sees every pass at 128² or 256², so detecting on a copy of at most
 * DETECT_SIDE px finds the same faces (its tiles are a fixed fraction of the image) while
 * a 12-MP photo costs one resize instead of a dozen full-resolution tile crops.
 */
import type { RGBAImage } from '../../core/image';
import { resizeImage } from '../../core/resample';
import { detectFaces, type Face } from '../faces/detect';

export const DETECT_SIDE = 2048;

/** Faces in `img`'s own pixels, sorted by score. */
export async function detectFacesAnySize(img: RGBAImage): Promise<Face[]> {
	const s = DETECT_SIDE / Math.max(img.width, img.height);
	if (s >= 1) return detectFaces(img);
	const small = resizeImage(img, Math.max(1, Math.round(img.width * s)), Math.max(1, Math.round(img.height * s)), 'linear');
	const kx = img.width / small.width, ky = img.height / small.height;
	return (await detectFaces(small)).map((f) => ({
		score: f.score,
		box: { x: f.box.x * kx, y: f.box.y * ky, width: f.box.width * kx, height: f.box.height * ky },
		keypoints: f.keypoints.map((p) => ({ name: p.name, x: p.x * kx, y: p.y * ky }))
	}));
}
