export { runIsnet, isnetInput, ISNET_MODEL, ISNET_SIZES, ISNET_DEFAULT_SIZE, type IsnetOptions } from './isnet';
export { runSegmentation, segInput, segRegion, SEG_MODELS, SEG_MODEL_IDS, type SegModelId, type SegFit, type SegModelSpec, type Segmentation, type SegmentationOptions } from './selfie';
export { refineAlpha, applyAlpha, boxFilter, guidedFilterGray, resizeBilinear, REFINE_DEFAULTS, type RefineOptions, type ApplyOptions } from './refine';
export { matteSubject, MODE_DEFAULTS, type MatteMode, type MatteOptions, type MatteResult, type ModeDefaults } from './matting';
