export * from './detect';
export { blazeFaceAnchors, defaultAnchors, type Anchor } from './anchors';
export { decodeBlazeFace, sigmoid } from './decode';
export { iou, weightedNms } from './nms';
