export { runIsnet, isnetInput, ISNET_MODEL, ISNET_SIZES, ISNET_DEFAULT_SIZE, type IsnetOptions } from './isnet';
export { refineAlpha, applyAlpha, boxFilter, guidedFilterGray, resizeBilinear, REFINE_DEFAULTS, type RefineOptions, type ApplyOptions } from './refine';
export { matteSubject, MODE_DEFAULTS, type MatteMode, type MatteOptions, type MatteResult } from './matting';
