import { describe, expect, it } from 'vitest';
import { BuildError } from './errors.js';
import { validateNetworkMode } from './network-mode.js';
import { gantryBuild, useTestBench } from './test-engine.js';

const testFile = useTestBench();

describe('validateNetworkMode', () => {
  it.each(['default', 'host', 'none', undefined])('accepts %s', (mode) => {
    expect(() => validateNetworkMode(mode)).not.toThrow();
  });

  it('names the value and the valid modes', () => {
    expect(() => validateNetworkMode('bridge')).toThrow(
      'Invalid network mode "bridge": use one of default, host, none',
    );
  });

  it('suggests the nearest mode', () => {
    expect(() => validateNetworkMode('hots')).toThrow('did you mean "host"?');
  });
});

describe('build with an unknown network mode', () => {
  it('fails before any step', async () => {
    const folder = await testFile.context({ Dockerfile: 'FROM busybox:latest\nRUN true\n' });
    const built = await gantryBuild(testFile.bench, { contextDir: folder, networkMode: 'bridge' });
    expect(built.error).toBeInstanceOf(BuildError);
    expect(built.error).toMatchObject({ code: 'ERR_INVALID_NETWORK' });
    expect(built.events.some((event) => event.type === 'step-start')).toBe(false);
    expect(built.log).toBe('Invalid network mode "bridge": use one of default, host, none\n');
  });
});
