import { COMPLAINT_ANGER_THRESHOLD, detectFrustration, isShouting } from '../../language/cues';

describe('detectFrustration', () => {
  it.each<[locale: string, text: string, complaint: boolean]>([
    ['en', 'This is a scam', true],
    ['en', 'I want to file a complaint', true],
    ['en', 'Totally unacceptable.', true],
    ['en', 'I am annoyed and disappointed', true],
    ['en', 'How do I reset my password?', false],
    ['en', 'I am not angry, just confused', false],
    ['en', 'Thanks!!!', false],
    ['id', 'Saya kecewa, pelayanan buruk', true],
    ['id', 'mau komplain kak', true],
    ['id', 'CS nya tidak becus', true],
    ['id', 'kok gini sih, kesel', true],
    ['id', 'bagaimana cara ganti kata sandi?', false],
    ['id', 'saya tidak marah, hanya bingung', false],
    ['pl', 'To jest skandal!', true],
    ['pl', 'Składam reklamację', true],
    ['pl', 'jestem wkurzony i rozczarowany', true],
    ['pl', 'żenada', true],
    ['pl', 'jak zmienić hasło?', false],
    ['pl', 'nie jestem zły, tylko pytam', false],
    ['nb', 'Dette er svindel', true],
    ['nb', 'Jeg vil klage', true],
    ['nb', 'Elendig service 😡', true],
    ['nb', 'jeg er skuffet og irritert', true],
    ['nb', 'hvordan endrer jeg passordet?', false],
    ['nb', 'jeg er ikke sint', false],
  ])('%s %p → complaint %p', (locale, text, complaint) => {
    expect(detectFrustration(text, locale).complaint).toBe(complaint);
  });

  it.each<[text: string, reasons: string[]]>([
    ['WHERE IS MY REFUND!!!', ['exclamations', 'shouting']],
    ['this is ridiculous 🤬', ['strong:ridiculous', 'angry-emoji']],
    ['what the hell is this fee', ['swearing:what the hell']],
    ['so annoying', ['mild:annoying']],
    ['😭😭', ['crying-alone']],
    ['my team lost again 😭', []],
  ])('%p gives the reasons %p', (text, reasons) => {
    expect(detectFrustration(text, 'en').reasons).toEqual(reasons);
  });

  it.each<[text: string, onlyUpset: boolean]>([
    ['😡😡😡', true],
    ['🤬 !!', true],
    ['😠\u{1F3FB}', true],
    ['😡 my bill', false],
    ['😡 👍', false],
    ['!!!', false],
    ['😭😭😭', true],
    ['😢', true],
    ['☹️ 😡', true],
    ['makasih kak 😭', false],
    ['😭❤️', false],
  ])('%p is nothing but upset emoji: %p', (text, onlyUpset) => {
    expect(detectFrustration(text, 'en').onlyUpset).toBe(onlyUpset);
  });

  it('when the customer shouts with exclamation marks, then anger reaches the complaint threshold', () => {
    const result = detectFrustration('WHERE IS MY REFUND!!!', 'en');
    expect(result.anger).toBeGreaterThanOrEqual(COMPLAINT_ANGER_THRESHOLD);
    expect(result.complaint).toBe(true);
  });

  it('when a single mild word is used, then anger stays below the threshold', () => {
    const result = detectFrustration('a bit disappointed', 'en');
    expect(result.anger).toBeGreaterThan(0);
    expect(result.anger).toBeLessThan(COMPLAINT_ANGER_THRESHOLD);
    expect(result.complaint).toBe(false);
  });

  it('anger never exceeds 1', () => {
    const result = detectFrustration('SCAM!!! FRAUD!!! THIS IS UNACCEPTABLE 😡🤬 terrible, awful', 'en');
    expect(result.anger).toBe(1);
  });

  it('a complaint word in one locale is also found with another locale tag of the same language', () => {
    expect(detectFrustration('skandal', 'pl-PL').complaint).toBe(true);
  });
});

describe('isShouting', () => {
  it.each<[text: string, expected: boolean]>([
    ['WHY IS MY ORDER LATE', true],
    ['NOTHING WORKS', true],
    ['Why is my ORDER LATE AGAIN', true],
    ['My SMS PIN is not arriving', false],
    ['SMS PIN OTP', false],
    ['My SMS PIN CODE is wrong', false],
    ['I NEED HELP', false],
    ['HELP ME', false],
    ['KENAPA PAKET SAYA BELUM SAMPAI', true],
    ['GDZIE JEST MOJA PACZKA', true],
    ['HVOR ER PAKKEN MIN', true],
    ['where is my order', false],
    ['1234 5678', false],
  ])('%p → %p', (text, expected) => {
    expect(isShouting(text)).toBe(expected);
  });
});
