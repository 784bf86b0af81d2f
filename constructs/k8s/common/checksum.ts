import { createHash } from 'node:crypto';

/** A short content hash for `checksum/config` pod annotations: a config change rolls the pods. */
export const checksum = (text: string): string => createHash('sha256').update(text).digest('hex');
