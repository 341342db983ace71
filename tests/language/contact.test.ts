import { contactWith, extractContact, isValidEmail, isValidPhone } from '../../language/contact';

describe('extractContact', () => {
  it.each<[text: string, expected: { email?: string; phone?: string }]>([
    ['my email is anna.smith@example.com', { email: 'anna.smith@example.com' }],
    [
      'mail: jan.kowalski99@wp.pl, tel +48 601-234-567',
      { email: 'jan.kowalski99@wp.pl', phone: '+48 601-234-567' },
    ],
    ['nomor saya +62 812 3456 7890', { phone: '+62 812 3456 7890' }],
    ['nomor saya 081234567890', { phone: '081234567890' }],
    [
      'ring meg på +47 912 34 567 eller send e-post til ola@nordmann.no',
      { phone: '+47 912 34 567', email: 'ola@nordmann.no' },
    ],
    ['jan123456789@wp.pl', { email: 'jan123456789@wp.pl' }],
    // A sentence's full stop, top-level domains of more than six letters, letters beyond ASCII: the whole address.
    ['my email is ola@nordmann.no.', { email: 'ola@nordmann.no' }],
    ['jan@firma.consulting', { email: 'jan@firma.consulting' }],
    ['mój e-mail: józef.wójcik@poczta.pl', { email: 'józef.wójcik@poczta.pl' }],
    ['(andré@example.photography)', { email: 'andré@example.photography' }],
    ['no contact here, order 1234', {}],
    ['reach me at jo@@example', {}],
    ['', {}],
  ])('%p → %p', (text, expected) => {
    expect(extractContact(text)).toEqual(expected);
  });
});

describe('isValidEmail', () => {
  it.each<[string, boolean]>([
    ['a.b@example.co.id', true],
    ['ola@nordmann.no', true],
    ['anna@localhost', false],
    ['anna@@example.com', false],
    ['anna example.com', false],
  ])('%p → %p', (text, expected) => {
    expect(isValidEmail(text)).toBe(expected);
  });
});

describe('isValidPhone', () => {
  it.each<[string, boolean]>([
    ['+48 601-234-567', true],
    ['(22) 123 45 67', true],
    ['081234567890', true],
    ['12345', false],
    ['+1 234 567 890 123 456', false],
    ['call 91234567', false],
  ])('%p → %p', (text, expected) => {
    expect(isValidPhone(text)).toBe(expected);
  });
});

describe('contactWith', () => {
  it('gives the contact with at most the words allowed beside it, else null', () => {
    expect(contactWith('jan@example.pl', 0)).toEqual({ email: 'jan@example.pl' });
    expect(contactWith('ok, my email is jan@example.pl', 0)).toBeNull();
    expect(contactWith('ok, my email is jan@example.pl', 4)).toEqual({ email: 'jan@example.pl' });
    expect(contactWith('no contact here at all', 4)).toBeNull();
  });
});
