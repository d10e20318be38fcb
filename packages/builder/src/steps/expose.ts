/** EXPOSE port specs to the `ExposedPorts` keys the engine stores. */
import { BuildError } from '../errors.js';

/**
 * Returns the `port/proto` keys of EXPOSE values. As the engine's port-spec
 * parser does, `ip:host:container` and `host:container` expose the container
 * port (`80:8080` exposes `8080/tcp`), and a range exposes every port in it.
 */
export function exposedPorts(values: readonly string[]): string[] {
  return values.flatMap(portKeys);
}

function portKeys(value: string): string[] {
  const [spec = '', protocol = 'tcp'] = value.split('/');
  const containerPart = spec.slice(spec.lastIndexOf(':') + 1);
  const [first, last] = portRange(containerPart, value);
  const keys: string[] = [];
  for (let port = first; port <= last; port++) keys.push(`${port}/${protocol.toLowerCase()}`);
  return keys;
}

function portRange(text: string, value: string): [number, number] {
  const [start = '', end = start] = text.split('-');
  const first = Number(start);
  const last = Number(end);
  const valid = (port: number) => Number.isInteger(port) && port >= 0 && port <= 65535;
  if (start === '' || !valid(first) || !valid(last) || last < first) {
    throw new BuildError(
      'ERR_DOCKERFILE',
      `Invalid port ${JSON.stringify(value)} in EXPOSE; use a port, a range or host:container, for example EXPOSE 80 8000-8010/udp`,
    );
  }
  return [first, last];
}
