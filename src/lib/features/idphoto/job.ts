import { decode } from '../../codecs/decode';
import { encode } from '../../codecs/encode';
import { setKb } from '../../codecs/set-kb';
import type { RGBAImage } from '../../core/image';
import type { Adjustments, CropParams, IdPhotoParams } from '../../pipeline/idphoto-params';
import type { EncodedImage, IdPhotoJob, IdPhotoOutput } from '../../worker/protocol';
import { matteSubject } from '../matting/matting';
import { adjustPhoto, cropMatted, makeIdPhoto, sixInchSheet, withBackground } from './idphoto';

async function png(img: RGBAImage, dpi: number): Promise<EncodedImage> {
	return { bytes: await encode(img, { format: 'png', dpi }), mime: 'image/png', width: img.width, height: img.height };
}

/** JPEG at `kb` exactly when asked (set_kb), else high quality. */
async function jpeg(img: RGBAImage, dpi: number, kb?: number): Promise<EncodedImage> {
	const bytes = kb ? await setKb(img, kb, { dpi }) : await encode(img, { format: 'jpeg', quality: 95, dpi });
	return { bytes, mime: 'image/jpeg', width: img.width, height: img.height };
}

export async function runIdPhotoJob(job: IdPhotoJob): Promise<IdPhotoOutput> {
	const { image } = await decode(job.bytes, { limits: job.limits });
	switch (job.kind) {
		case 'idphoto': {
			const p = job.params as unknown as IdPhotoParams;
			const r = await makeIdPhoto(image, p);
			// HivisionIDPhotos' beauty adjustments, on the transparent photos (none by default).
			const images: Record<string, EncodedImage> = { image_base64_standard: await png(adjustPhoto(r.standard, p.adjust), p.dpi) };
			if (r.hd) images.image_base64_hd = await png(adjustPhoto(r.hd, p.adjust), p.dpi);
			return {
				images,
				fields: {
					human_matting_model: p.matting.requested,
					model_used: r.model,
					face_detect_model_used: 'blazeface',
					face: { ...r.face.box, score: r.face.score },
					roll_corrected: Math.round(r.rollDegrees * 10) / 10,
					warnings: r.plan.warnings
				}
			};
		}
		case 'idphoto_crop': {
			const p = job.params as unknown as CropParams;
			const r = await cropMatted(image, p);
			const standard = await png(r.standard, p.dpi);
			const images: Record<string, EncodedImage> = { image_base64: standard, image_base64_standard: standard };
			if (r.hd) images.image_base64_hd = await png(r.hd, p.dpi);
			return { images, fields: { warnings: r.plan.warnings } };
		}
		case 'add_background': {
			const p = job.params as { color: string; render: 0 | 1 | 2; kb?: number; dpi: number };
			return { images: { image_base64: await jpeg(withBackground(image, p.color, p.render), p.dpi, p.kb) }, fields: {} };
		}
		case 'generate_layout_photos': {
			const p = job.params as { width: number; height: number; kb?: number; dpi: number };
			const { sheet, count } = sixInchSheet(image, p.width, p.height);
			return { images: { image_base64: await jpeg(sheet, p.dpi, p.kb) }, fields: { count, paper: '6-inch' } };
		}
		case 'adjust': {
			const p = job.params as { adjust: Adjustments; dpi: number };
			return { images: { image_base64: await png(adjustPhoto(image, p.adjust), p.dpi) }, fields: {} };
		}
		case 'human_matting': {
			const p = job.params as { dpi: number; matting: { requested: string; mode: 'quality' | 'fast' } };
			const m = await matteSubject(image, { mode: p.matting.mode });
			return { images: { image_base64: await png(m.image, p.dpi) }, fields: { human_matting_model: p.matting.requested, model_used: m.model } };
		}
	}
}
