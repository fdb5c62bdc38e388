export { aiEnlarge, type AiEnlargeOptions, type AiEnlargeResult } from './enlarge';
export { applyAiResize } from './apply';
export { AI_MAX_INPUT_PIXELS, RDN_SCALES, checkAiEnlarge, planAiEnlarge, planPasses, rdnModelId, type AiEnlargePlan, type RdnScale } from './passes';
export { runRdn, type RdnOptions } from './rdn';
export { DEFAULT_CONTEXT, DEFAULT_TILE, planSpans, planTiles, type Tile, type TileSpan } from './tiles';
export { laplacianEnergy, psnr, ssim } from './quality';
