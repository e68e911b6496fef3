/*
 * One chunk for everything of the signed member list that Home does not need
 * (loaded once Home is synced, or with the first owner action): one dynamic
 * import target, so Home's path carries one preload list, not three.
 */
export { startSignedMembers } from './signed';
export { signedActions } from './signed-actions';
export { default as SignedBanner } from './SignedBanner';
