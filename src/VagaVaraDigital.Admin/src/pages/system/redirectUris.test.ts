import { describe, expect, it } from 'vitest';
import { splitUris, uriProblem } from './redirectUris';

describe('redirect addresses of an interactive client', () => {
  it('splits one address per line, without blanks and repeats', () => {
    expect(splitUris(' https://a.example/cb \n\nhttps://a.example/cb\r\nhttp://127.0.0.1:8765/cb')).toEqual(['https://a.example/cb', 'http://127.0.0.1:8765/cb']);
  });
  it('accepts https, and loopback http for a public client only', () => {
    expect(uriProblem('https://verktyg.example/callback', false)).toBeNull();
    expect(uriProblem('http://127.0.0.1:8765/callback', true)).toBeNull();
    expect(uriProblem('http://[::1]:8765/callback', true)).toBeNull();
    expect(uriProblem('http://localhost/callback', true)).toBeNull();
    expect(uriProblem('http://127.0.0.1:8765/callback', false)?.code).toBe('loopbackConfidential');
  });
  it('names what is wrong', () => {
    expect(uriProblem('http://verktyg.example/callback', true)?.code).toBe('http');
    expect(uriProblem('com.example.app:/callback', true)).toEqual({ code: 'scheme', uri: 'com.example.app:/callback', scheme: 'com.example.app' });
    expect(uriProblem('verktyg.example/callback', true)?.code).toBe('notAbsolute');
    expect(uriProblem('https:/verktyg', true)?.code).toBe('notAbsolute');
    expect(uriProblem('https://verktyg.example/cb#x', true)?.code).toBe('fragment');
    expect(uriProblem('https://a:b@verktyg.example/cb', true)?.code).toBe('userInfo');
  });
});
