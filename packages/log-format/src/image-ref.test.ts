import { expect, test } from 'vitest';
import { qualifiedReference, withDefaultTag } from './image-ref.js';

test.each([
  ['app', 'app:latest'],
  ['app:v1', 'app:v1'],
  ['org/app', 'org/app:latest'],
  ['localhost:5000/app', 'localhost:5000/app:latest'],
  ['localhost:5000/app:v2', 'localhost:5000/app:v2'],
  [`app@sha256:${'a'.repeat(64)}`, `app@sha256:${'a'.repeat(64)}`],
])('withDefaultTag(%s) is %s', (reference, expected) => {
  expect(withDefaultTag(reference)).toBe(expected);
});

test.each([
  ['busybox', 'docker.io/library/busybox:latest'],
  ['org/app:v1', 'docker.io/org/app:v1'],
  ['registry.example/app', 'registry.example/app:latest'],
  ['localhost/app', 'localhost/app:latest'],
  ['127.0.0.1:5000/app:v1', '127.0.0.1:5000/app:v1'],
])('qualifiedReference(%s) is %s', (reference, expected) => {
  expect(qualifiedReference(reference)).toBe(expected);
});
