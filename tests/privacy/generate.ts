/**
 * Valid sensitive numbers for the redaction tests, from a seeded generator (the same numbers on every run):
 * card numbers of several schemes, PESEL, fødselsnummer and D-numbers, NIK and IBANs.
 */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export class NumberMaker {
  private readonly random: () => number;
  constructor(seed = 15) {
    this.random = seeded(seed);
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new Error('nothing to pick');
    return item;
  }

  digits(n: number): string {
    return Array.from({ length: n }, () => String(this.int(0, 9))).join('');
  }

  card(): string {
    const [prefix, length] = this.pick<[string, number]>([
      ['4', 16],
      ['4', 13],
      ['51', 16],
      ['55', 16],
      ['2221', 16],
      ['34', 15],
      ['37', 15],
      ['6011', 16],
      ['62', 16],
      ['3530', 16],
      ['36', 14],
    ]);
    const body = prefix + this.digits(length - prefix.length - 1);
    return body + luhnDigit(body);
  }

  pesel(): string {
    for (;;) {
      const year = this.int(1900, 2025);
      const month = this.int(1, 12);
      const day = this.int(1, 28);
      const mm = month + (year >= 2000 ? 20 : 0);
      const body = `${pad(year % 100)}${pad(mm)}${pad(day)}${this.digits(4)}`;
      const weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
      const sum = weights.reduce((acc, w, i) => acc + w * Number(body[i]), 0);
      return body + String((10 - (sum % 10)) % 10);
    }
  }

  norwegian(dNumber: boolean): string {
    for (;;) {
      const year = this.int(1940, 1999);
      const day = this.int(1, 28) + (dNumber ? 40 : 0);
      const body = `${pad(day)}${pad(this.int(1, 12))}${pad(year % 100)}${String(this.int(0, 499)).padStart(3, '0')}`;
      const k1 = control(body, [3, 7, 6, 1, 8, 9, 4, 5, 2]);
      if (k1 === 10) continue;
      const k2 = control(body + String(k1), [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
      if (k2 === 10) continue;
      return `${body}${k1}${k2}`;
    }
  }

  nik(): string {
    const province = this.pick([
      11, 12, 13, 14, 16, 18, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 64, 71, 73, 81, 91, 94,
    ]);
    const day = this.int(1, 28) + (this.random() < 0.5 ? 40 : 0);
    return `${province}${pad(this.int(1, 79))}${pad(this.int(1, 40))}${pad(day)}${pad(this.int(1, 12))}${pad(this.int(0, 99))}${String(this.int(1, 9999)).padStart(4, '0')}`;
  }

  iban(): string {
    const [country, length] = this.pick<[string, number]>([
      ['PL', 28],
      ['NO', 15],
      ['DE', 22],
      ['GB', 22],
      ['NL', 18],
    ]);
    const bban =
      country === 'GB' || country === 'NL' ? 'ABCD' + this.digits(length - 8) : this.digits(length - 4);
    const numeric = (bban + country + '00').replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
    let remainder = 0;
    for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
    return `${country}${pad(98 - remainder)}${bban}`;
  }
}

const pad = (n: number): string => String(n).padStart(2, '0');

function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i += 1) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

function control(body: string, weights: number[]): number {
  const rest = 11 - (weights.reduce((acc, w, i) => acc + w * Number(body[i]), 0) % 11);
  return rest === 11 ? 0 : rest;
}

/** Groups of four ("4111 1111 1111 1111"), as people type card numbers and IBANs. */
export const inFours = (value: string, separator = ' '): string =>
  value.match(/.{1,4}/g)?.join(separator) ?? value;
