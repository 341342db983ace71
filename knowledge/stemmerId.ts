/**
 * Indonesian word analysis of the FAQ matcher: a stem is a matching key, so that a root and its affixed forms
 * ("kirim", "mengirim", "pengiriman", "dikirimkan", colloquial "ngirim") meet, without a root dictionary.
 *
 * Affixes are removed in the manner of Nazief–Adriani, but only where the remainder can still be a root
 * (length and letter guards, a short list of roots that merely look affixed). The prefixes meN- and peN-
 * swallow a root's first consonant (t, p, k, s: "menerima" ← terima, "memesan" ← pesan, "mengirim" ← kirim,
 * "menyimpan" ← simpan), and nothing in the word tells whether a consonant was swallowed ("mengambil" ←
 * ambil, "memasak" ← masak). So every stem drops a first consonant that such a prefix could have swallowed
 * or left (k, m, n, p, s, t, ng, ny before a vowel): "terima" and "menerima" both give "erima". The price:
 * a few roots that differ only in that consonant share a key ("kata"/"mata", "pesan"/"kesan"); the matcher's
 * character n-grams of the surface words still tell them apart.
 */

const VOWEL = /^[aeiou]/;

/** The words of a list written as text (whitespace-separated; lines starting with // are comments). */
function wordSet(text: string): ReadonlySet<string> {
  const words = text.replace(/\/\/.*$/gm, '').split(/\s+/);
  return new Set(words.filter((word) => word !== ''));
}

/** A root ends in a vowel or in one consonant (or "ng"), never in a cluster such as "nt" ("ganti" − i). */
const ROOT_END = /(?:[aeiou][b-df-hj-np-tv-z]|[aeiou]ng|[aeiou])$/;

/** Roots that look affixed, in the affixed form they would be taken for. */
const ROOTS = wordSet(`
  // di-
  diam dialog diet digital dinas dingin dinding diri direksi direktur disiplin diskon diskusi
  distributor
  // ter-
  terima terus teras terang terbang terbit terjemah terminal terapi teror ternak teriak tertib
  termin
  // ber-
  berat beras berita beri bersih berkas beres berani berangus
  // per-, pe-
  periksa perlu pergi persen pertama perdana permisi pernah pelan pena perak peran perang
  perempuan pesan pesawat
  // me-
  member memori menit menu merah merek meja media mental menara mentah metode meter
  // -an, -kan, -i on the root itself
  langgan simpan ringan korban tangan jalan bulan makan ikan teman taman aman badan saran pakan
  bukan tekan rekan ulang sekolah masalah nikah polisi kunci ganti janji kopi beli cari isi
`);

/** Roots of one syllable, which take menge-/penge- ("mengecek" ← cek, but "mengeluh" ← keluh). */
const ONE_SYLLABLE = wordSet('cek cat bom las pel rem sah lap tik klik cas tes pak');

/** Roots in r that take pe- (so "per" + vowel is not the prefix per-): "perawatan" ← rawat. */
const R_ROOTS = wordSet('rawat rumah rasa rusak rancang ramal rampok rekam rokok renang');

/**
 * Removes affixes: prefixes from the left (two at most), then one suffix, stopping as soon as what is left (with
 * or without its suffix) is a root of ROOTS; see the file header.
 */
function strip(word: string): string {
  if (word.length <= 3 || ROOTS.has(word)) return word;
  const possessive = word.endsWith('nya') && word.length >= 6 && !/(?:ta|pu|ha)nya$/.test(word); // not "tanya"
  let rest = possessive ? word.slice(0, -3) : word;
  let first = '';
  for (let round = 0; ; round++) {
    const root = stripSuffix(rest, first);
    if (ROOTS.has(rest)) return rest;
    const prefix = round < 2 && !ROOTS.has(root) ? prefixOf(rest, first) : undefined;
    if (!prefix) return root;
    if (round === 0) first = prefix.name;
    rest = prefix.rest;
  }
}

interface Prefix {
  name: string;
  rest: string;
}

/** The prefix at the start of the word and what follows it (the root with its suffix), if any. */
function prefixOf(word: string, previous: string): Prefix | undefined {
  if (word.startsWith('di') && previous === '') return guarded('di', word.slice(2));
  // ke- only in the confix ke-…-an, and only when a root of four letters or more is left ("keluhan" ← keluh).
  if (word.startsWith('ke') && word.endsWith('an') && word.length >= 8 && previous === '') {
    return guarded('ke', word.slice(2));
  }
  if (word.startsWith('ber')) return guarded('ber', word.slice(3));
  if (word.startsWith('ter')) return guarded('ter', word.slice(3));
  if (word.startsWith('per')) {
    // "perubahan" ← ubah, but "perawatan" ← rawat (pe- before a root in r).
    const rest = word.slice(3);
    if (VOWEL.test(rest) && R_ROOTS.has(stripSuffix(`r${rest}`, 'pe'))) return guarded('pe', `r${rest}`);
    return guarded('per', rest, 4);
  }
  if (word.startsWith('me') && previous === '') return nasal('me', word.slice(2));
  if (word.startsWith('pe') && previous !== 'pe') return nasal('pe', word.slice(2));
  // Colloquial nge- before a root of one syllable ("ngecek" ← cek).
  if (word.startsWith('nge') && ONE_SYLLABLE.has(word.slice(3)) && previous === '')
    return guarded('nge', word.slice(3));
  return undefined;
}

/** meN-/peN- (and me-/pe- before l, r, w, y): the nasal is kept where it may stand for the root's first consonant. */
function nasal(name: string, rest: string): Prefix | undefined {
  const [a = '', b = '', c = ''] = rest;
  const vowelAfter = (index: number): boolean => VOWEL.test(rest.slice(index));
  if (a === 'n' && b === 'g') {
    if (rest.startsWith('nge') && ONE_SYLLABLE.has(rest.slice(3))) return guarded(name, rest.slice(3)); // "mengecek"
    if (c !== '' && 'ghk'.includes(c)) return guarded(name, rest.slice(2));
    if (vowelAfter(2)) return guarded(name, rest);
    return undefined;
  }
  if (a === 'n' && b === 'y') return vowelAfter(2) ? guarded(name, rest) : undefined;
  if (a === 'm') {
    if (b !== '' && 'bfvp'.includes(b)) return guarded(name, rest.slice(1));
    return vowelAfter(1) ? guarded(name, rest) : undefined;
  }
  if (a === 'n') {
    if (b !== '' && 'cdjz'.includes(b)) return guarded(name, rest.slice(1));
    if (b === 's' && c === 'y') return guarded(name, rest.slice(1));
    if (b === 't' && !vowelAfter(2)) return guarded(name, rest.slice(1)); // "mentransfer"
    return vowelAfter(1) ? guarded(name, rest) : undefined;
  }
  if (a !== '' && 'lrwy'.includes(a) && vowelAfter(1)) return guarded(name, rest, 4);
  return undefined;
}

/** A prefix is taken only when enough follows it, beginning as a root can begin. */
function guarded(name: string, rest: string, minimum = 3): Prefix | undefined {
  if (rest.length < minimum) return undefined;
  const [a = '', b = ''] = rest;
  // A root starts with a vowel, a consonant and a vowel, or a cluster of a loanword ("blokir", "proses", "transfer").
  if (!VOWEL.test(a) && !VOWEL.test(b) && !/^(?:[bcdfgkpt][lr]|s[kpt]|ng|ny|sy|kh)/.test(rest))
    return undefined;
  return { name, rest };
}

/** One derivational suffix: -kan, -an (with peN-, per-, ke-, ber- or alone), -i, colloquial -in. */
function stripSuffix(word: string, prefix: string): string {
  const cut = (length: number, minimum: number): string | undefined => {
    const root = word.slice(0, -length);
    return root.length >= minimum && ROOT_END.test(root) ? root : undefined;
  };
  const nominal = prefix === 'pe' || prefix === 'per' || prefix === 'ke';
  if (word.endsWith('kan') && !nominal) {
    const root = cut(3, 3);
    if (root) return root;
  }
  if (word.endsWith('an') && prefix !== 'di' && prefix !== 'me') return cut(2, 4) ?? word;
  if (word.endsWith('in')) return cut(2, 4) ?? word;
  // -i only after a prefix ("menghubungi", but "negeri"), never on a loanword in -si ("dikonfirmasi").
  if (word.endsWith('i') && !word.endsWith('si') && prefix !== '' && prefix !== 'ke') {
    const root = cut(1, 4);
    if (root && !VOWEL.test(root.slice(-1))) return root;
  }
  return word;
}

/** The matching key of a root: without a first consonant that meN-/peN- may have swallowed (see the header). */
function key(root: string): string {
  if ((root.startsWith('ng') || root.startsWith('ny')) && VOWEL.test(root.slice(2))) return root.slice(2);
  if ('kmnpst'.includes(root[0] ?? '-') && VOWEL.test(root.slice(1)) && root.length > 2) return root.slice(1);
  return root;
}

/**
 * Chat spellings of Indonesian content words, each line the standard word followed by its spellings
 * (abbreviations and colloquial forms that customers type and knowledge-base authors do not: "gak" for "tidak",
 * "pake" for "pakai", "tgl" for "tanggal"). Spellings only, no synonyms; function words are stop words
 * already, in all their spellings.
 */
const CHAT_SPELLINGS: ReadonlyMap<string, string> = new Map(
  `
  tidak gak ga nggak ngga enggak engga gk tdk ndak kagak
  belum blm blom belom
  pakai pake
  hilang ilang
  lihat liat
  dapat dapet dpt
  tahu tau
  datang dateng
  benar bener
  cepat cepet
  telepon telpon telp tlp
  nomor nmr
  rekening rek
  transfer tf trf
  tanggal tgl
  bulan bln
  tahun thn
  bayar byr
  kirim krm
  ponsel hp handphone
  aplikasi apk
  `
    .trim()
    .split(/\n/)
    .flatMap((line) => {
      const [standard, ...spellings] = line.trim().split(/\s+/);
      return spellings.map((spelling): [string, string] => [spelling, standard!]);
    }),
);

/** Stem (matching key) of a folded Indonesian word, in any of its chat spellings, with or without a suffix ("hpnya"). */
export function stemIndonesian(word: string): string {
  const spelled =
    CHAT_SPELLINGS.get(word) ?? (word.endsWith('nya') ? CHAT_SPELLINGS.get(word.slice(0, -3)) : undefined);
  return key(strip(spelled ?? word));
}

/**
 * Indonesian function words: pronouns, demonstratives, prepositions, conjunctions, question words, auxiliaries
 * and modals, particles and greetings, with their common chat spellings. Content words that customers ask
 * about are not in it: negations ("tidak", "belum"), "keluar", "masuk", "baru", "tambah", "buat" (make), "jadi"
 * ("tidak jadi": call off), times of day ("pagi", "malam"). Verbs that only frame a question ("minta",
 * "terjadi": ask for, happen) are in it.
 */
export const INDONESIAN_STOPWORDS: readonly string[] = [
  ...wordSet(`
  // pronouns, forms of address
  aku saya sy gue gua gw kamu anda dia ia beliau kami kita mereka kalian ku mu nya kak kakak gan
  sis min mimin pak bu bapak ibu mas mbak
  // demonstratives, determiners, quantity words
  ini itu tersebut sini situ sana para sang si se sebuah seorang suatu semua setiap tiap beberapa
  banyak sedikit segala masing
  // prepositions
  di ke dari pada kepada dalam untuk utk bagi dengan dgn sama oleh tentang terhadap sampai sampe
  hingga sejak antara menurut tanpa lewat melalui via per mengenai soal
  // conjunctions
  dan atau tapi tp tetapi namun karena krn karna soalnya jika kalau kalo klo bila apabila agar
  supaya biar sehingga maka lalu terus trus kemudian sedangkan padahal meskipun walaupun serta
  bahwa yaitu yakni yang yg sebagai seperti kayak kaya
  // question words
  apa apakah apaan siapa siapakah mana dimana dmn kemana kapan kapankah bagaimana bagaimanakah
  gimana gmn gmna gimn mengapa kenapa knp napa berapa berapakah brp cara caranya bisakah bolehkah
  adakah
  // auxiliaries, modals, aspect
  adalah ialah merupakan ada adanya akan mau maunya ingin pengen pingin bisa bs dapat boleh harus
  perlu mesti sudah sdh udah udh dah telah sedang lagi lg masih pernah juga jg saja aja aj hanya
  cuma cuman pun sangat banget bgt sekali lebih paling agak terlalu sekarang skrg nanti tadi kok
  kan dong deh sih nih tuh ya yah yaa iya lah kah toh loh lho mohon tolong silakan silahkan minta
  meminta terjadi
  // greetings
  halo hallo hai hi selamat terima kasih makasih thanks
`),
];
