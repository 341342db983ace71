/**
 * Check rules of the sensitive numbers the bot removes from what it keeps: payment cards (Luhn and issuer
 * prefix), IBANs (ISO 13616 mod-97), Polish PESEL, Norwegian fødselsnummer and D-number, Indonesian NIK. Each
 * takes the digits (or characters) without separators and answers whether they are a valid number of that kind.
 * Strict on purpose: an order number, a phone number or an amount must fail them (tests/privacy measure it).
 */

const digitsOf = (text: string): number[] => [...text].map(Number);

/** Luhn (mod 10) check digit rule of card numbers. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Issuer prefix and length of the card schemes (Visa, Mastercard, Amex, Diners, Discover, UnionPay, JCB, Maestro). */
function cardSchemeFits(digits: string): boolean {
  const n = digits.length;
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
  if (digits.startsWith('4')) return n === 13 || n === 16 || n === 19;
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16;
  if (p2 === 34 || p2 === 37) return n === 15;
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return n >= 14 && n <= 19;
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19;
  // Discover, UnionPay (62) and Maestro (50, 56–69).
  if (p2 === 50 || (p2 >= 56 && p2 <= 69)) return n >= 16 && n <= 19;
  return false;
}

export function isCardNumber(digits: string): boolean {
  return /^\d{13,19}$/.test(digits) && cardSchemeFits(digits) && luhnValid(digits);
}

function isDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * PESEL: YYMMDD ZZZX, weights 1 3 7 9, and a real birth date of somebody alive: born 1900–1999 (month 01–12) or
 * since 2000 (month + 20), not in the future. The 1800s (+80) and 2100s (+40, +60) are refused: they cannot
 * be a customer, and "48 81…" phone numbers would otherwise pass.
 */
export function isPesel(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  const d = digitsOf(digits);
  const weights = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = weights.reduce((acc, w, i) => acc + w * (d[i] ?? 0), 0);
  if ((10 - (sum % 10)) % 10 !== d[10]) return false;
  const yy = Number(digits.slice(0, 2));
  const mm = Number(digits.slice(2, 4));
  const year = mm > 20 ? 2000 + yy : 1900 + yy;
  if (mm > 32 || year > new Date().getUTCFullYear()) return false;
  return isDate(year, mm % 20, Number(digits.slice(4, 6)));
}

/** The birth year of a fødselsnummer from its two-digit year and individual number (1854–1899 left out), or null. */
function norwegianYear(yy: number, individual: number): number | null {
  if (individual <= 499) return 1900 + yy;
  if (yy <= 39) return 2000 + yy;
  if (individual >= 900) return 1900 + yy;
  return null;
}

/** Fødselsnummer (DDMMYY III K1 K2) and D-number (day + 40): two mod-11 control digits and a real date. */
export function isNorwegianId(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  const d = digitsOf(digits);
  const control = (weights: number[]): number => {
    const rest = 11 - (weights.reduce((acc, w, i) => acc + w * (d[i] ?? 0), 0) % 11);
    return rest === 11 ? 0 : rest;
  };
  const k1 = control([3, 7, 6, 1, 8, 9, 4, 5, 2]);
  const k2 = control([5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
  if (k1 !== d[9] || k2 !== d[10]) return false;
  const rawDay = Number(digits.slice(0, 2));
  const day = rawDay > 40 ? rawDay - 40 : rawDay;
  const year = norwegianYear(Number(digits.slice(4, 6)), Number(digits.slice(6, 9)));
  return year !== null && isDate(year, Number(digits.slice(2, 4)), day);
}

/** Province codes of Indonesia (Aceh 11 … Papua 91–97). */
const NIK_PROVINCES = new Set([
  11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65, 71, 72, 73,
  74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97,
]);

/**
 * NIK (Nomor Induk Kependudukan): PP KK CC DDMMYY SSSS, province code, regency 01–79, district 01–99, birth
 * date (day + 40 for women), serial 0001–9999. There is no check digit, so the structure is checked strictly.
 */
export function isNik(digits: string): boolean {
  if (!/^\d{16}$/.test(digits)) return false;
  const part = (from: number, to: number): number => Number(digits.slice(from, to));
  if (!NIK_PROVINCES.has(part(0, 2))) return false;
  const regency = part(2, 4);
  if (regency < 1 || regency > 79 || part(4, 6) < 1 || part(12, 16) < 1) return false;
  const rawDay = part(6, 8);
  const day = rawDay > 40 ? rawDay - 40 : rawDay;
  const month = part(8, 10);
  const yy = part(10, 12);
  return isDate(1900 + yy, month, day) || isDate(2000 + yy, month, day);
}

/** IBAN lengths of the countries that use one (ISO 13616 registry). */
const IBAN_LENGTHS: ReadonlyMap<string, number> = new Map(
  [
    'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DK18 DO28 EE20 ' +
      'EG29 ES24 FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 ' +
      'KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 MC27 MD24 ME22 MK19 MR27 MT31 MU30 NL18 NO15 PK24 PL28 ' +
      'PS29 PT25 QA29 RO24 RS22 SA24 SC31 SE24 SI19 SK24 SM27 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 ' +
      'XK20',
  ]
    .join('')
    .split(' ')
    .map((entry) => [entry.slice(0, 2), Number(entry.slice(2))]),
);

/** The IBAN length of a country code, if it has IBANs. */
export const ibanLength = (country: string): number | undefined => IBAN_LENGTHS.get(country.toUpperCase());

/** A complete IBAN (no separators): known country, its length, and the mod-97 check equal to 1. */
export function isIban(compact: string): boolean {
  const iban = compact.toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban) || ibanLength(iban.slice(0, 2)) !== iban.length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}
