import { analyzerFor } from '../../knowledge/stemming';

const indonesian = analyzerFor('id');
const stem = (word: string): string => indonesian.stem(word);

describe('Indonesian stems', () => {
  it.each([
    ['terbang', ['penerbangan', 'terbang']],
    ['rawat', ['perawatan', 'merawat', 'dirawat']],
    ['pesan', ['pesanan', 'memesan', 'pemesanan', 'dipesan']],
    ['kirim', ['mengirim', 'pengiriman', 'dikirimkan', 'kiriman', 'ngirim']],
    ['terima', ['menerima', 'penerimaan', 'diterima']],
    ['periksa', ['memeriksa', 'pemeriksaan', 'diperiksa']],
    ['tabung', ['menabung', 'tabungan', 'nabung']],
    ['tagih', ['tagihan', 'menagih', 'penagihan', 'tagihannya']],
    ['simpan', ['menyimpan', 'penyimpanan', 'simpanan', 'disimpan']],
    ['kembali', ['mengembalikan', 'pengembalian', 'dikembalikan']],
    ['keluar', ['mengeluarkan', 'dikeluarkan']],
    ['tanya', ['bertanya', 'pertanyaan', 'menanyakan', 'nanya']],
    ['ubah', ['mengubah', 'perubahan', 'berubah', 'diubah']],
    ['batal', ['membatalkan', 'pembatalan', 'dibatalkan', 'batalin']],
    ['bayar', ['membayar', 'pembayaran', 'dibayar', 'bayarnya']],
    ['blokir', ['diblokir', 'terblokir', 'memblokir']],
    ['lambat', ['terlambat', 'keterlambatan']],
    ['baik', ['perbaikan', 'memperbaiki', 'diperbaiki']],
    ['layan', ['layanan', 'pelayanan', 'melayani']],
    ['langganan', ['berlangganan', 'pelanggan']],
    ['cek', ['mengecek', 'dicek', 'ngecek']],
    ['keluh', ['keluhan', 'mengeluh']],
    ['hubung', ['menghubungi', 'dihubungi', 'hubungan']],
    ['transfer', ['mentransfer', 'ditransfer', 'transfernya']],
  ])('when a word is built on "%s", then it has the root\'s stem', (root, words) => {
    for (const word of words) expect([word, stem(word)]).toEqual([word, stem(root)]);
  });

  it.each([
    ['tidak', ['gak', 'ga', 'nggak', 'enggak', 'tdk', 'gk']],
    ['belum', ['blm', 'belom']],
    ['pakai', ['pake']],
    ['hilang', ['ilang']],
    ['tanggal', ['tgl']],
    ['rekening', ['rek']],
    ['transfer', ['tf', 'trf']],
    ['ponsel', ['hp', 'handphone']],
  ])(
    'when a customer writes "%s" in a chat spelling, then it has the stem of the standard word',
    (word, spellings) => {
      for (const spelling of spellings) expect([spelling, stem(spelling)]).toEqual([spelling, stem(word)]);
    },
  );

  it('when a chat spelling carries a suffix, then it still meets the standard word, and words that only begin like one keep their own stems', () => {
    expect(stem('hpnya')).toBe(stem('ponsel'));
    expect(stem('tglnya')).toBe(stem('tanggal'));
    expect(stem('gaji')).not.toBe(stem('tidak'));
    expect(stem('rekam')).not.toBe(stem('rekening'));
    expect(stem('tahun')).not.toBe(stem('tau'));
    expect(stem('thn')).toBe(stem('tahun'));
  });

  it('when a root only looks affixed, then nothing is taken off but a first consonant', () => {
    for (const root of [
      'diskon',
      'digital',
      'berita',
      'bersih',
      'bulan',
      'jalan',
      'kunci',
      'ganti',
      'konfirmasi',
    ]) {
      expect([root, [root, root.slice(1)].includes(stem(root))]).toEqual([root, true]);
    }
    expect(stem('dikonfirmasi')).toBe(stem('konfirmasi'));
    expect(stem('diganti')).toBe(stem('mengganti'));
  });

  it('when roots differ, then their stems differ', () => {
    const pairs = [
      ['pesawat', 'pesan'],
      ['tagihan', 'tabungan'],
      ['pengiriman', 'penerimaan'],
      ['keluar', 'masuk'],
      ['pelayanan', 'pelanggan'],
      ['perubahan', 'perawatan'],
    ];
    for (const [a = '', b = ''] of pairs) expect([a, stem(a)]).not.toEqual([a, stem(b)]);
  });
});

describe('Indonesian stop words', () => {
  it('when a word is a function word or chat spelling of one, then it is a stop word', () => {
    for (const word of [
      'yang',
      'yg',
      'saya',
      'sy',
      'bagaimana',
      'gimana',
      'gmn',
      'apakah',
      'untuk',
      'udah',
      'aja',
    ]) {
      expect([word, indonesian.isStopword(word)]).toEqual([word, true]);
    }
  });

  it('when a word carries what the customer asks about, then it is kept', () => {
    for (const word of [
      'tambah',
      'keluar',
      'masuk',
      'baru',
      'tidak',
      'belum',
      'kurang',
      'bulan',
      'hari',
      'malam',
    ]) {
      expect([word, indonesian.isStopword(word)]).toEqual([word, false]);
    }
  });
});
