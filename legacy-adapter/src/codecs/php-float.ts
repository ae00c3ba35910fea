/**
 * PHP's text form of a float in `serialize` (serialize_precision = -1): the
 * shortest digits that round-trip, fixed notation while the decimal exponent
 * is in −4…17, otherwise `d.dddE±x` with at least one fractional digit
 * (php_gcvt in mode 0; inferred from php-src, not from Mautic).
 */

/**
 * Formats `n` like PHP's serialize does.
 *
 * @example
 * phpFloatToString(0.1)   // '0.1'
 * phpFloatToString(1e25)  // '1.0E+25'
 * phpFloatToString(1e-5)  // '1.0E-5'
 */
export function phpFloatToString(n: number): string {
  if (Number.isNaN(n)) return 'NAN';
  if (n === Infinity) return 'INF';
  if (n === -Infinity) return '-INF';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa = '', exp = '0'] = Math.abs(n).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const decpt = Number(exp) + 1;
  const sign = n < 0 ? '-' : '';
  if (decpt < -3 || decpt > 17) {
    const fraction = digits.length > 1 ? digits.slice(1) : '0';
    const e = decpt - 1;
    return `${sign}${digits[0]}.${fraction}E${e < 0 ? '-' : '+'}${Math.abs(e)}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (digits.length <= decpt) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}
