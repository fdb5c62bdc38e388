export const KEYPOINT_NAMES = ['rightEye', 'leftEye', 'nose', 'mouth', 'rightEar', 'leftEar'] as const;
export type KeypointName = (typeof KEYPOINT_NAMES)[number];

export interface Box {
	x: number;
	y: number;
	width: number;
	height: number;
}

export interface Keypoint {
	name: KeypointName;
	x: number;
	y: number;
}

/** A detected face. Units depend on context: normalised (decode), source pixels (detectFaces). */
export interface Face {
	box: Box;
	score: number;
	/** right eye, left eye, nose, mouth, right ear, left ear — "right" is the subject's right (image left for a frontal face). */
	keypoints: Keypoint[];
}
