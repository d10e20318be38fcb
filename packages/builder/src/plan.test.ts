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
});
