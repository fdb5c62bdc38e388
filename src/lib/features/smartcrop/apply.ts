/** The smart_crop op, worker side: faces (BlazeFace) when asked or found, else saliency. */
import { cropImage } from '../../core/crop';
import type { RGBAImage } from '../../core/image';
import { resizeImage } from '../../core/resample';
import type { SmartCropOp } from '../../pipeline/ops';
import { detectFacesAnySize } from '../blur/detect';
import { cropSizeForAspect, scaledCropSize } from './aspect';
import { saliencyMap } from './saliency';
import { faceWindow, facesInside, saliencyWindow } from './window';

export async function applySmartCrop(img: RGBAImage, op: SmartCropOp, info: Record<string, unknown>): Promise<RGBAImage> {
	const { width: W, height: H } = img;
	const size = cropSizeForAspect(W, H, op.aspect);
	let rect;
	const faces = op.target === 'saliency' ? [] : (await detectFacesAnySize(img)).map((f) => f.box);
	if (faces.length > 0) {
		rect = faceWindow(W, H, size.width, size.height, faces);
		info.target_used = 'face';
		info.faces = faces.length;
		info.faces_in_crop = facesInside(rect, faces);
	} else {
		rect = saliencyWindow(W, H, size.width, size.height, saliencyMap(img));
		info.target_used = 'saliency';
		if (op.target !== 'saliency') info.faces = 0;
	}
	info.crop = rect;
	const cut = rect.x === 0 && rect.y === 0 && rect.width === W && rect.height === H ? img : cropImage(img, rect);
	const out = scaledCropSize(size, op.width, op.height);
	return out.width === cut.width && out.height === cut.height ? cut : resizeImage(cut, out.width, out.height, 'lanczos3');
}
