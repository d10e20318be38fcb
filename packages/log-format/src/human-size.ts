const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'] as const;

/**
 * Formats a byte count as Docker does (go-units `HumanSize`): decimal units,
 * at most four significant digits, no space before the unit. `3072` gives
 * `3.072kB`, `4690000` gives `4.69MB`, `512` gives `512B`.
 */
export function formatHumanSize(bytes: number): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < UNITS.length - 1) {
    size /= 1000;
    unit++;
  }
  return `${formatGeneral(size, 4)}${UNITS[unit]}`;
}

/**
 * Formats a number as Go's `%.<precision>g`: the shortest of fixed and
 * exponent notation, trailing zeros removed, ties rounded to even on the
 * exact binary value as Go's strconv does.
 */
export function formatGeneral(value: number, precision: number): string {
  if (value === 0) {
    return '0';
  }
  const sign = value < 0 ? '-' : '';
  const { digits, exponent } = roundToSignificant(Math.abs(value), precision);
  if (exponent < -4 || exponent >= precision) {
    return sign + exponentForm(digits, exponent);
  }
  return sign + fixedForm(digits, exponent);
}

/** Rounds to `precision` significant digits, returning them and the decimal exponent. */
function roundToSignificant(value: number, precision: number) {
  const exact = exactDigits(value);
  let digits = exact.digits.slice(0, precision).padEnd(precision, '0');
  let exponent = exact.exponent;
  if (roundsUp(exact.digits, precision)) {
    const next = (BigInt(digits) + 1n).toString();
    if (next.length > precision) {
      exponent++;
    }
    digits = next.slice(0, precision);
  }
  return { digits: digits.replace(/0+$/, '') || '0', exponent };
}

function roundsUp(digits: string, precision: number): boolean {
  const first = digits.charAt(precision);
  if (first === '' || first < '5') {
    return false;
  }
  if (first > '5' || /[1-9]/.test(digits.slice(precision + 1))) {
    return true;
  }
  const last = Number(digits.charAt(precision - 1) || '0');
  return last % 2 === 1;
}

/** Exact decimal digits of a finite positive double and the exponent of the first one. */
function exactDigits(value: number): { digits: string; exponent: number } {
  // A double below 1e21 has at most 1074 fractional binary digits, but the
  // sizes formatted here are at least 1, so 60 decimal places are exact.
  const fixed = value >= 1 ? value.toFixed(60) : value.toFixed(100);
  const [whole = '', fraction = ''] = fixed.split('.');
  const all = (whole + fraction).replace(/^0+/, '');
  const leadingZeros = (whole + fraction).length - all.length;
  return { digits: all.replace(/0+$/, ''), exponent: whole.length - leadingZeros - 1 };
}

function exponentForm(digits: string, exponent: number): string {
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const sign = exponent < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

function fixedForm(digits: string, exponent: number): string {
  if (exponent < 0) {
    return `0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return fraction === '' ? whole : `${whole}.${fraction}`;
}
