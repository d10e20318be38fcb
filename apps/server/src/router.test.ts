import { describe, expect, it } from 'vitest';
import { matchRoute, type Route } from './router.js';

const handle = () => {};
const ROUTES: Route[] = [
  { method: 'GET', path: '/_ping', engine: true, handle },
  { method: 'POST', path: '/build', engine: true, handle },
  { method: 'GET', path: '/v1/builds/:id', handle },
  { method: 'DELETE', path: '/v1/builds/:id', handle },
];

describe('matchRoute', () => {
  it('reads path parameters', () => {
    const match = matchRoute(ROUTES, 'DELETE', '/v1/builds/abc%20def');
    expect(match.route.method).toBe('DELETE');
    expect(match.params).toEqual({ id: 'abc def' });
  });

  it.each(['/build', '/v1.41/build', '/v1.24/build'])('engine route at %s', (path) => {
    expect(matchRoute(ROUTES, 'POST', path).route.path).toBe('/build');
  });

  it('gantry routes have no version prefix', () => {
    expect(() => matchRoute(ROUTES, 'GET', '/v1.41/v1/builds/abc')).toThrow(/No route/);
  });

  it.each([
    ['/v1.42/build', /too new/],
    ['/v1.23/build', /too old/],
  ])('version of %s is rejected', (path, message) => {
    expect(() => matchRoute(ROUTES, 'POST', path)).toThrow(message);
  });

  it('wrong method lists the allowed ones', () => {
    expect(() => matchRoute(ROUTES, 'POST', '/v1/builds/abc')).toThrow(/use GET, DELETE/);
  });

  it('empty parameter matches nothing', () => {
    expect(() => matchRoute(ROUTES, 'GET', '/v1/builds/')).toThrow(/No route/);
  });

  it('malformed escape is kept as it is', () => {
    expect(matchRoute(ROUTES, 'GET', '/v1/builds/%E0%A4%A').params).toEqual({ id: '%E0%A4%A' });
  });
});
