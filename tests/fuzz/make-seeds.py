#!/usr/bin/env python3
"""Writes the seed corpora tests/fuzz/corpus/{reader,normalise}/.

Each seed starts with the option bytes the target reads (see the comment at
the top of fuzz_reader.c and fuzz_normalise.c). The zstd and gzip seeds are
made with the zstd(1) and gzip(1) command-line tools. Run it again after
changing a seed here. It only writes the seeds named here: other files in
those directories (regression inputs, reproducers) stay. Inputs found by
fuzzing do not land there (scripts/fuzz fuzzes a copy).

    tests/fuzz/make-seeds.py
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_SEED = 4096


def zstd(data, *args):
    # From a file, not a pipe: zstd then knows the size, writes it in the
    # frame header and picks a window no larger than the data (from a pipe
    # it asks for megabytes, which the decoder must allocate).
    with tempfile.NamedTemporaryFile() as f:
        f.write(data)
        f.flush()
        return subprocess.run(['zstd', '-q', '-c', *args, f.name],
                              stdout=subprocess.PIPE, check=True).stdout


def gzip(data):
    # -n: no name or time stamp, so the bytes do not change from run to run.
    return subprocess.run(['gzip', '-n', '-c', '-6'], input=data,
                          stdout=subprocess.PIPE, check=True).stdout


def nfd(s):
    import unicodedata
    return unicodedata.normalize('NFD', s)


def reader_hdr(mode=0, names=0, edit=0, no_meta=False, max_bytes=None, roundtrip=None):
    """Byte 0: format, field names, edit, meta; byte 1: limit and round trip.

    max_bytes: 64 + 128 * k, k in 0..31 (default the largest, 4032).
    roundtrip: None, or the writer's compression 'none', 'gzip' or 'zstd',
    which the target takes as k modulo 3 (k is lowered to match).
    """
    k = 31 if max_bytes is None else (max_bytes - 64) // 128
    assert 0 <= k <= 31 and (max_bytes is None or max_bytes == 64 + 128 * k)
    low = 0
    if roundtrip is not None:
        want = ['none', 'gzip', 'zstd'].index(roundtrip)
        while k % 3 != want:
            k -= 1
        low = 7
    b0 = mode | names << 2 | edit << 4 | (0x80 if no_meta else 0)
    return bytes([b0, k << 3 | low])


VI = [
    'Xin chào thế giới! Tiếng Việt có dấu: ă â đ ê ô ơ ư.',
    'Hà Nội là thủ đô của nước Cộng hoà Xã hội chủ nghĩa Việt Nam.',
    'Người ta thường nói: “Có công mài sắt, có ngày nên kim.”',
    'Phở bò, bún chả và bánh mì — những món ăn nổi tiếng.',
]


def jl(*lines):
    return ''.join(l + '\n' for l in lines).encode('utf-8')


def reader_seeds():
    basic = jl(*('{"id": %d, "text": "%s", "lang": "vi"}' % (i, t) for i, t in enumerate(VI)))
    s = {}
    s['jsonl-basic'] = reader_hdr(roundtrip='none') + basic
    s['jsonl-nfd'] = reader_hdr(edit=3) + jl(
        '{"id": "nfd-1", "text": "%s"}' % nfd(VI[0]),
        '{"id": "nfd-2", "text": "%s", "meta": {"src": "web"}}' % nfd(VI[1]))
    s['jsonl-entities'] = reader_hdr(edit=1) + jl(
        '{"id": "e1", "text": "Ph&#7903; b&ograve; &amp; b&uacute;n ch&#x1EA3;"}',
        '{"id": "e2", "text": "a &amp;amp;lt; b &nbsp;c &#0; &#xD800; &bogus;"}')
    s['jsonl-crlf'] = reader_hdr(edit=5) + (
        '{"id": 1, "text": "dòng một"}\r\n\r\n   \r\n'
        '{"id": 2, "text": "dòng\\r\\nhai"}\r\n{"id": 3, "text": "ba"}').encode('utf-8')
    s['jsonl-invalid-utf8'] = reader_hdr(edit=6) + (
        b'{"id": 1, "text": "bad \xff\xfe \xc3 \xe1\xbb \xed\xa0\x80 \xf4\x90\x80\x80 end"}\n'
        b'{"id": 2, "text": "esc \\ud800 \\udc00 \\ud83d\\ude00 \\u0000 \\u001f"}\n'
        b'{"id": "\xc3\x28", "text": "\x80"}\n')
    s['jsonl-bad-records'] = reader_hdr(edit=4, roundtrip='none') + jl(
        'not json', '[1, 2]', 'null', '"text"', '{"id": 1}', '{"text": 5}',
        '{"text": null}', '{"text": "a", "text": "b"}', '{"te\\u0078t": "a", "text": "b"}',
        '{"text": "a"} x', '{"text": "a"}{"text": "b"}', '{"text": "tab\there"}',
        '{"text": "a", "sach": 1}', '{"text": "a", "sach": {"old": {"k": 2}}}',
        '{"sach": {}, "text": "trước"}', '{"text": "a",}', "{'text': 'a'}",
        '{"text": "a", "n": [1, {"x": "}"}], "m": "\\"}"}', '{}', '{"text": "')
    s['jsonl-raw-controls'] = reader_hdr() + (
        b'{"text": "nul \x00 here"}\n{"text": "bell \x07"}\n{"text":\x0b"vt"}\n'
        b'{"text": "ok"}\r\r\n{"text": "cr\rin"}\n')
    s['jsonl-toobig'] = reader_hdr(max_bytes=64, roundtrip='none') + jl(
        '{"id": 1, "text": "%s"}' % ('dài ' * 40), '{"id": 2, "text": "ngắn"}',
        '{"id": 3, "text": "%s"}' % ('x' * 60), '{"id": 4, "text": "%s"}' % ('y' * 70))
    s['jsonl-escapes-in-keys'] = reader_hdr(edit=0) + jl(
        '{"\\u0069d": 7, "te\\u0078t": "khóa thoát", "s\\u0061ch": {"a": 1}}',
        '{"id": -0, "n": 1e400, "big": 123456789012345678901234567890, "text": "số"}',
        '  {  "text"  :  "khoảng trắng"  ,  "id"  :  true  }  ',
        '{"id": null, "text": "\\/slash\\b\\f\\n\\r\\t\\"\\\\"}')
    s['jsonl-zstd'] = reader_hdr(roundtrip='zstd') + zstd(basic, '-19')
    zs = zstd(basic)
    s['jsonl-zstd-truncated'] = reader_hdr() + zs[:len(zs) * 2 // 3]
    bad = bytearray(zs)
    bad[len(bad) // 2] ^= 0x55
    s['jsonl-zstd-corrupt'] = reader_hdr() + bytes(bad)
    skip = b'\x50\x2a\x4d\x18' + (4).to_bytes(4, 'little') + b'skip'
    s['jsonl-zstd-skippable-2frames'] = reader_hdr(edit=7) + skip + zs + zstd(jl('{"text": "khung hai"}'))
    gz = gzip(basic)
    s['jsonl-gzip'] = reader_hdr(roundtrip='gzip') + gz
    s['jsonl-gzip-truncated'] = reader_hdr() + gz[:len(gz) - 9]
    s['jsonl-gzip-2members'] = reader_hdr() + gz + gzip(jl('{"text": "thành viên hai"}'))
    s['jsonl-bom-nofinalnl'] = reader_hdr() + b'\xef\xbb\xbf' + jl('{"text": "bom"}') + '{"text": "cuối"}'.encode('utf-8')
    s['jsonl-fieldnames'] = reader_hdr(names=1, no_meta=True) + jl(
        '{"doc_id": "a", "content": "nội dung", "text": "khác"}',
        '{"doc_id": {"x": [1]}, "content": "id là đối tượng"}', '{"text": "thiếu content"}')
    s['jsonl-weird-names'] = reader_hdr(names=3) + (
        b'{"\\u0001id\xe1\xbb\x87": "x", "t\xc3\xaax\\"t\\\\": "t\xc3\xaan l\xe1\xba\xa1"}\n')
    s['text-lines'] = reader_hdr(mode=1, edit=1) + (
        '\n'.join(VI) + '\n   \n\t\n' + nfd(VI[2]) + '\r\nmột "trích dẫn" \\ và \x01\n').encode('utf-8')
    s['text-lines-gzip'] = reader_hdr(mode=1, roundtrip='gzip') + gzip(('\n'.join(VI) + '\n').encode('utf-8'))
    s['text-blocks'] = reader_hdr(mode=2, roundtrip='zstd') + (
        '\n\n' + VI[0] + '\n' + VI[1] + '\r\n \r\n' + VI[2] + '\n\t\n\n\n' + VI[3]).encode('utf-8')
    s['text-blocks-toobig'] = reader_hdr(mode=2, max_bytes=192, edit=4) + (
        VI[0] + '\n' + VI[1] + '\n' + VI[2] + '\n\n' + 'ngắn\n\n' + 'z' * 300 + '\nsau\n\ncuối').encode('utf-8')
    s['text-lines-toobig-zstd'] = reader_hdr(mode=1, max_bytes=64) + zstd(
        ('a' * 200 + '\nb\n' + 'c' * 65 + '\n' + 'd' * 64 + '\n').encode('utf-8'))
    s['empty'] = reader_hdr()
    # Decoded input far larger than the reader's 256 KiB read chunk, so lines
    # cross chunk boundaries, the buffer is compacted and grown, and over-long
    # lines are skipped across several reads. Small once compressed.
    big = []
    lengths = [10, 700, 5000, 200, 4100, 50, 1500]
    while sum(len(l) for l in big) < 300 * 1024:
        i = len(big)
        n = lengths[i % len(lengths)]
        big.append('{"id": %d, "text": "%s"}' % (i % 7, (VI[i % 4] + ' ') * (n // 60 + 1)))
    s['jsonl-zstd-300k'] = reader_hdr(edit=3, no_meta=True) + zstd(jl(*big), '-19')
    s['text-lines-zstd-longline'] = reader_hdr(mode=1, max_bytes=1088) + zstd(
        b'a' * (1 << 20) + b'\nsau d\xc3\xb2ng d\xc3\xa0i\n' + b'b' * 300000, '-19')
    s['text-blocks-gzip-big'] = reader_hdr(mode=2, max_bytes=4032) + gzip(
        (('\n'.join(VI) + '\n\n') * 200 + 'x' * 300000 + '\n\ncuối').encode('utf-8'))
    # Regression inputs (bugs found by fuzzing; see the comment on each).
    # reader.c next_block(): a block that already holds exactly
    # max_record_bytes, then one more line: "max - block.len" wraps around
    # and sach_reader_next() returns SACH_ENOMEM instead of SACH_ETOOBIG.
    s['regress-block-at-limit-enomem'] = reader_hdr(mode=2, max_bytes=64) + b'a' * 64 + b'\nb\n'
    return s


def norm_hdr(entities=0, form=0, fold=False, single=False, reject=False, ext=None):
    """entities: 0 ALL, 1 NUMERIC, 2 NONE; form: 0 NFC, 1 NFKC, 2 NONE."""
    b0 = entities | form << 2 | (0x10 if fold else 0) | (0x20 if single else 0) | \
        (0x40 if reject else 0)
    if ext is None:
        return bytes([b0])
    return bytes([b0 | 0x80, ext])


def norm_ext(no_collapse=False, no_trim=False, no_map=False, no_unify=False,
             keep_controls=False, keep_invisible=False, blank=0):
    """blank: 0 -> max_blank_lines 1, 1 -> 0, 2 -> -1 (no limit), 3 -> 2."""
    return (1 if no_collapse else 0) | (2 if no_trim else 0) | (4 if no_map else 0) | \
        (8 if no_unify else 0) | (16 if keep_controls else 0) | \
        (32 if keep_invisible else 0) | blank << 6


def normalise_seeds():
    u = lambda s: s.encode('utf-8')
    s = {}
    s['vi-clean'] = norm_hdr() + u(' '.join(VI))
    s['vi-nfd'] = norm_hdr() + u(nfd('\n'.join(VI)))
    s['vi-nfd-form-none'] = norm_hdr(form=2) + u(nfd(VI[1]))
    s['entities'] = norm_hdr() + u(
        'Ph&#7903; b&ograve; &amp; b&uacute;n ch&#x1EA3; &amp;amp;lt; &amp;lt;b&amp;gt; '
        '&nbsp;x&NotEqualTilde;&#0;&#xD800;&#x110000;&#128;&#x9D;&#00000000065;&#65 '
        '&amp &#x;&#;&;&CounterClockwiseContourIntegral;&AElig;&zwnj;&#x200B;&#10;&#13;')
    s['entities-numeric-only'] = norm_hdr(entities=1) + u('&amp; &#7879; &#x1ec7; &eacute; &#8203;x')
    s['entities-none'] = norm_hdr(entities=2) + u('&amp; &#7879; giữ nguyên &lt;b&gt;')
    s['newlines'] = norm_hdr() + u('một\r\nhai\rba\x0bbốn\x0cnăm\u2028sáu\u2029bảy\n\n\n\n\ntám\r\n\r\n')
    s['spaces'] = norm_hdr() + u('  \t đầu\u00a0\u00a0giữa\u3000\u2003\u202fcuối \t \n \u205f \n  x  y   ')
    s['invalid-utf8'] = norm_hdr() + (
        b'ok \xff \xc0\xaf \xe0\x80\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xf8\x88\x80\x80\x80 '
        b'\xc3 \xe1\xbb \xf0\x9f\x98 \x80\xbf cut\xe1')
    s['controls-invisible'] = norm_hdr() + u(
        'a\x00b\x01c\x7fd\u0085e\u009ff \u200bg\ufeffh\u200ei\u202ej\u2060k '
        'la\u200dtin \U0001F468\u200d\U0001F469 \u0915\u094d\u200d\u0937 x\u200c\u200cy \u00adz')
    s['fullwidth-fold'] = norm_hdr(fold=True) + u('ＡＢＣ１２３！＆ａｍｐ；￥￦￠ｘ\u3000ｙ')
    s['nfkc'] = norm_hdr(form=1) + u('ﬁ ² ㎏ ｶﾞ \u037e \u2126 \u1e9b\u0323 Ǆ \u00a0 ℌ ①')
    s['single-line'] = norm_hdr(single=True) + u('dòng một\ndòng hai\r\n\r\n  dòng ba  \u2028bốn')
    s['reject-invalid'] = norm_hdr(reject=True) + b'h\xc3\xa0 n\xe1\xbb\x99i \xe1\xbb'
    s['reject-valid'] = norm_hdr(reject=True) + u(nfd('Cộng hoà  xã hội &amp; \r\n'))
    s['keep-everything'] = norm_hdr(form=2, entities=2, ext=norm_ext(
        True, True, True, True, True, True, 2)) + u('  a\x01\t\tb  \r\n\r\n\r\n\u200bc  \n\n\n\n')
    s['blank-lines-0'] = norm_hdr(ext=norm_ext(blank=1)) + u('a\n\n\nb\n \n \nc\n\n')
    s['blank-lines-2-notrim'] = norm_hdr(ext=norm_ext(no_trim=True, blank=3)) + u(
        '\n\n  a  \n\n\n\n b\t\n   \n\n\n\n')
    s['combining-order'] = norm_hdr() + u(
        'a\u0302\u0323 a\u0323\u0302 e\u0301\u0301 \u1100\u1161\u11a8 o\u031b\u0300 '
        'q\u0307\u0323 \u0345\u0300 x\u0338\u0323')
    s['sse-runs'] = norm_hdr() + u(
        'Thành phố Hồ Chí Minh là thành phố lớn nhất Việt Nam về dân số và kinh tế, '
        'đồng thời cũng là một trung tâm văn hóa và giáo dục quan trọng. '
        'ắằẳẵặấầẩẫậếềểễệốồổỗộớờởỡợứừửữựỳỷỹỵ  ĂÂĐÊÔƠƯ  end ')
    # Regression input (found while fuzzing): normalise.c stops after
    # MAX_ROUNDS (16) passes, and each pass decodes one level of "&amp;amp;...",
    # so 16 levels plus "&lt;" come out as "&amp;lt;" and a second call still
    # changes the text: not idempotent, although normalise.h promises it.
    s['regress-entity-rounds-not-idempotent'] = norm_hdr() + b'&' + b'amp;' * 16 + b'lt;'
    # Regression input (found by fuzzing): with unify_newlines off a bare CR
    # is a kept line break, and the pass marks the line after it for NFC at
    # an offset inside what apply_nf() takes as one line (it splits at LF
    # only); "start - pos" wraps and sach_normalise_text() returns SACH_ENOMEM.
    s['regress-kept-cr-nfc-enomem'] = norm_hdr(ext=norm_ext(no_unify=True)) + u('o\u0323\ro\u0323')
    s['supplementary'] = norm_hdr(form=1, fold=True) + u(
        '\U0001F600 \U0001F1FB\U0001F1F3 \U0010FFFF \uFFFF \uFDD0 \U0001D400 \U0002F800 \U0001F3F3\uFE0F\u200D\U0001F308')
    return s


def write(dirname, seeds):
    d = os.path.join(HERE, 'corpus', dirname)
    os.makedirs(d, exist_ok=True)
    # Other files there (reproducers of fixed bugs) are left alone.
    for name, data in sorted(seeds.items()):
        if len(data) >= MAX_SEED:
            sys.exit('seed %s/%s is %d bytes (limit %d)' % (dirname, name, len(data), MAX_SEED))
        with open(os.path.join(d, name), 'wb') as f:
            f.write(data)
    print('%s: %d seeds' % (d, len(seeds)))


if __name__ == '__main__':
    write('reader', reader_seeds())
    write('normalise', normalise_seeds())
