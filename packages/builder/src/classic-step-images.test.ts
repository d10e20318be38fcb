// The test helper that finds the images a classic build committed, from its log.
import { describe, expect, it } from 'vitest';
import { classicStepImages } from './test-engine.js';

const LOG = [
  'Step 1/5 : FROM busybox:latest AS base',
  ' ---> 997257684f90',
  'Step 2/5 : RUN true',
  ' ---> Running in 883f8dc5dcce',
  'Removing intermediate container 883f8dc5dcce',
  ' ---> 6e36758d40b1',
  'Step 3/5 : ENV A=1',
  ' ---> Using cache',
  ' ---> 1a2b3c4d5e6f',
  'Step 4/5 : from base',
  ' ---> 6e36758d40b1',
  'Step 5/5 : LABEL a=b',
  ' ---> Running in 0123456789ab',
  'Removing intermediate container 0123456789ab',
  ' ---> abcdefabcdef',
  'Successfully built abcdefabcdef',
  '',
].join('\n');

describe('classicStepImages', () => {
  it('lists the images the build committed', () => {
    expect(classicStepImages(LOG)).toEqual(['6e36758d40b1', 'abcdefabcdef']);
  });

  it('lists nothing for an empty log', () => {
    expect(classicStepImages('')).toEqual([]);
  });
});
