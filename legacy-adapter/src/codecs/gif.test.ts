import { NON_GET_PIXEL_BODY, TRACKING_GIF, trackingGifHeaders } from './gif.ts';

describe('tracking GIF (docs/mautic/public-http.md §2.6)', () => {
  it('is the exact 43 bytes of Mautic\'s pixel', () => {
    expect(TRACKING_GIF).toHaveLength(43);
    expect(TRACKING_GIF.toString('hex')).toBe(
      '47494638396101000100900000ff000000000021f90405100000002c00000000010001000002020401003b',
    );
  });

  it('comes with Mautic\'s header set; Connection: close only on HTTP/1.1', () => {
    expect(trackingGifHeaders('1.1')).toEqual({
      'Content-Type': 'image/gif',
      'Content-Length': '43',
      'Content-Encoding': 'none',
      Connection: 'close',
      Expires: 'Wed, 11 Jan 2000 12:59:00 GMT',
      'Last-Modified': 'Wed, 11 Jan 2006 12:59:00 GMT',
      Pragma: 'no-cache',
      'Cache-Control': 'no-cache=Set-Cookie, private, proxy-revalidate',
    });
    expect(trackingGifHeaders('1.0')).not.toHaveProperty('Connection');
  });

  it('answers other methods with one space', () => {
    expect(NON_GET_PIXEL_BODY).toBe(' ');
  });
});
