/**
 * What each file of the model manifest is for, and which models each feature needs, so
 * that the settings page can explain them and a page can fetch a feature's models ahead
 * of its first call (ensureModels). The manifest itself stays about files.
 */

/** English description of what uses each manifest entry (the settings page translates by id). */
export const MODEL_PURPOSE: Readonly<Record<string, string>> = {
	'isnet-small': 'Background removal and ID-photo matting (cuts the person out)',
	'blazeface-front-128': 'Face detection for close-ups (ID photos, face blur)',
	'blazeface-back-256': 'Face detection for group and distant faces (ID photos, face blur)',
	'selfie-seg': 'Fast person segmentation (fast matting mode)',
	'meet-seg': 'Fast person segmentation, video-call model (fast matting mode)',
	'nsfw-mobilenet-v2': 'Image moderation (flags adult content)',
	'centernet-coco': 'Object detection for tags and smart crop',
	'ppocr-det': 'Text detection (tags say whether a picture contains text; finds the lines to read for text recognition)',
	'ppocr-rec': 'Text recognition (OCR): reads Chinese and English text lines',
	'ppocr-cls': 'Text direction check for OCR (turns upside-down lines the right way up)',
	'ppocr-keys': 'Character list of the text recogniser (OCR dictionary)',
	'rdn-x2': 'Upscaling 2×',
	'rdn-x3': 'Upscaling 3×',
	'rdn-x4': 'Upscaling 4×',
	'ort-wasm': 'ONNX Runtime engine (WebAssembly, CPU) that runs every model',
	'ort-wasm-webgpu': 'ONNX Runtime engine with WebGPU, used instead when a GPU is available'
};

/** The models each feature loads (the ONNX Runtime engine comes on top; ensureModels adds it). */
export const FEATURE_MODELS = {
	faces: ['blazeface-front-128', 'blazeface-back-256'],
	matting: ['isnet-small'],
	mattingFast: ['selfie-seg'],
	superres: ['rdn-x2', 'rdn-x3', 'rdn-x4'],
	idphoto: ['blazeface-front-128', 'blazeface-back-256', 'isnet-small'],
	idphotoFast: ['blazeface-front-128', 'blazeface-back-256', 'selfie-seg'],
	tag: ['centernet-coco', 'blazeface-front-128', 'blazeface-back-256', 'ppocr-det', 'nsfw-mobilenet-v2'],
	moderate: ['nsfw-mobilenet-v2'],
	ocr: ['ppocr-det', 'ppocr-cls', 'ppocr-rec', 'ppocr-keys']
} as const satisfies Record<string, readonly string[]>;

export function modelPurpose(id: string): string {
	return MODEL_PURPOSE[id] ?? 'A model added to the manifest';
}
