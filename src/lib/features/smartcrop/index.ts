export { parseAspect, cropSizeForAspect, scaledCropSize, type Aspect } from './aspect';
export { faceWindow, facesInside, saliencyWindow, bestOffset, placeOnAxis, headroomBox, HEADROOM, type BoxLike } from './window';
export { saliencyMap, skinness, saturationOf, SALIENCY_WEIGHTS, type SaliencyMap } from './saliency';
