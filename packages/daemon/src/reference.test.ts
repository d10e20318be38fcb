import { expect, test } from 'vitest';
import { splitImageReference } from './reference.js';

test.each([
  ['busybox', { repository: 'busybox' }],
  ['busybox:1.36', { repository: 'busybox', tag: '1.36' }],
  ['127.0.0.1:5000/busybox', { repository: '127.0.0.1:5000/busybox' }],
  ['127.0.0.1:5000/team/busybox:v2', { repository: '127.0.0.1:5000/team/busybox', tag: 'v2' }],
  ['busybox@sha256:abc', { repository: 'busybox', digest: 'sha256:abc' }],
  ['busybox:1@sha256:abc', { repository: 'busybox', tag: '1', digest: 'sha256:abc' }],
])('splitImageReference %s', (reference, expected) => {
  expect(splitImageReference(reference)).toEqual(expected);
});
