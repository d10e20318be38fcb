import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planBuild } from './plan.js';

describe('planBuild', () => {
  it('gives --label steps no range', async () => {
    const plan = await planBuild({
      contextDir: '.',
      dockerfileText: 'FROM busybox:latest\nENV A=1\n',
      labels: { b: '2', a: '1' },
    });
    const steps = plan.stages[0]?.steps ?? [];
    expect(steps.map(({ step }) => step.text)).toEqual(['ENV A=1', 'LABEL a=1', 'LABEL b=2']);
    expect(steps[0]?.step.range?.start.line).toBe(1);
    expect(steps[1]?.step.range).toBeUndefined();
    expect(steps[2]?.step.range).toBeUndefined();
  });

  it('names a missing build context', async () => {
    const contextDir = '/nonexistent/gantry-context';
    const planning = planBuild({ contextDir });
    await expect(planning).rejects.toMatchObject({ code: 'CONTEXT_NOT_FOUND', path: contextDir });
    await expect(planning).rejects.toThrow(`Build context "${contextDir}" was not found`);
  });

  it('names a build context that is a file', async () => {
    const contextDir = fileURLToPath(import.meta.url);
    const planning = planBuild({ contextDir });
    await expect(planning).rejects.toMatchObject({ code: 'CONTEXT_NOT_FOUND', path: contextDir });
    await expect(planning).rejects.toThrow(/is not a folder/);
  });

  it('names a missing Dockerfile in a folder', async () => {
    const contextDir = fileURLToPath(new URL('.', import.meta.url));
    const planning = planBuild({ contextDir });
    await expect(planning).rejects.toMatchObject({ code: 'ERR_DOCKERFILE' });
  });
});
