import { describe, expect, it } from 'vitest';
import { sentContextPatterns } from './build-files.js';

describe('sentContextPatterns', () => {
  it('adds exceptions for excluded build files', () => {
    expect(sentContextPatterns(['Dockerfile', '.dockerignore'])).toEqual([
      'Dockerfile',
      '.dockerignore',
      '!.dockerignore',
      '!Dockerfile',
    ]);
  });

  it('adds nothing when build files are kept', () => {
    expect(sentContextPatterns(['*.log'])).toEqual(['*.log']);
  });

  it('uses the Dockerfile path given', () => {
    expect(sentContextPatterns(['build'], { dockerfile: './build/Dockerfile.dev' })).toEqual([
      'build',
      '!build/Dockerfile.dev',
    ]);
  });

  it('skips a Dockerfile read from stdin', () => {
    expect(sentContextPatterns(['*'], { dockerfileFromStdin: true })).toEqual([
      '*',
      '!.dockerignore',
    ]);
  });
});
