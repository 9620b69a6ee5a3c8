#!/usr/bin/env python3
"""Writes corpora/vi-news-demo.jsonl: the bundled corpus the demo pipeline
(configs/default.yaml) curates, built so that every stage has work to do.

All text is this project's own: the articles are assembled from the
sentences of corpora/vi-clean.jsonl (written for sach, see README.md), and
the boilerplate, spam, English and short records below were written here.
Deterministic: a fixed seed, no clock, no network.

What is in it (ids say what each record is):
  news-NNN     200 articles of 5-9 sentences in 2-3 paragraphs; most end
               with one of a few footer lines (repeated-line removal)
  copy-NNN     20 exact copies of articles under another id (exact dedupe)
  near-NNN     20 edited copies: a sentence dropped or added, paragraphs
               reordered, a few words changed, tone style switched
               (near dedupe)
  nodau-NNN    5 articles with every diacritic stripped (filter)
  spam-NNN     5 gambling advertisements (filter: word lists)
  en-NNN       5 English pages (filter: language)
  short-NNN    5 one-line notes (filter: length)
"""
import json
import os
import random
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 20261207

FOOTERS = [
    "Xem thêm: Thời tiết cuối tuần và lịch tàu xe dịp lễ.",
    "Bản quyền thuộc về Báo Làng Sách, ghi rõ nguồn khi đăng lại.",
    "Tin liên quan: Chợ phiên vùng cao ngày càng đông khách.",
]

SPAM = [
    "Nhà cái uy tín số một, cá cược bóng đá, nổ hũ, tài xỉu, lô đề online. "
    "Đăng ký fb88 nhận thưởng ngay, nạp tiền nhanh, rút tiền trong năm phút. "
    "Soi kèo miễn phí mỗi ngày, cá cược thể thao, bắn cá đổi thưởng, "
    "tài xỉu trực tuyến, nhà cái w88 khuyến mãi cực lớn cho thành viên mới.",
    "Chơi nổ hũ đổi thưởng, lô đề trực tuyến tỷ lệ cao nhất. Nhà cái uy tín "
    "hoàn tiền mỗi tuần. Cá cược bóng đá, tài xỉu, xóc đĩa, đánh bài online. "
    "Đăng ký ngay để nhận quà, nạp một trăm nghìn tặng một trăm nghìn, "
    "cá cược an toàn, rút tiền siêu tốc, hỗ trợ suốt ngày đêm.",
]

ENGLISH = [
    "The weather in the capital turned cold this morning, with thick fog over "
    "the lake until noon. Commuters wore heavy coats and scarves, and the buses "
    "ran a little late because of the poor visibility on the main roads. "
    "Forecasters expect the cold spell to last until the end of the week, "
    "with light rain in the northern provinces and clear skies further south.",
    "Our library opens at eight every morning and closes at nine in the "
    "evening. Members may borrow up to five books for three weeks, and renew "
    "them twice online. The reading room on the second floor is quiet and has "
    "power sockets at every desk. Please return books to the slot by the main "
    "door when the building is closed, and ask staff if you need any help.",
]

SHORT = [
    "Hẹn gặp lại vào tuần sau.",
    "Cảm ơn bạn đã đọc bài viết.",
    "Trời hôm nay đẹp quá.",
    "Chúc mọi người cuối tuần vui vẻ.",
    "Mời bạn để lại ý kiến bên dưới.",
]

# Open syllables that change spelling between the tone styles (old <-> new).
OLD_NEW = [("hoà", "hòa"), ("hoá", "hóa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"),
           ("loà", "lòa"), ("quý", "qúy")]

WORD_SWAPS = [("sáng", "chiều"), ("nhỏ", "lớn"), ("mới", "cũ"), ("đông", "vắng"),
              ("nhanh", "chậm"), ("cao", "thấp"), ("sớm", "muộn")]


def sentences():
    out = []
    with open(os.path.join(HERE, "vi-clean.jsonl"), encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            out += [s for s in re.split(r"(?<=[.!?])\s+", text) if s]
    return out


def strip_diacritics(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    d = unicodedata.normalize("NFD", s)
    return unicodedata.normalize("NFC", "".join(c for c in d if not unicodedata.combining(c)))


def article(rng, pool):
    n = rng.randint(5, 9)
    picked = rng.sample(pool, n)
    cut = sorted(rng.sample(range(1, n), rng.randint(1, 2)))
    paras, start = [], 0
    for c in cut + [n]:
        paras.append(" ".join(picked[start:c]))
        start = c
    return paras


def edit(rng, paras, pool):
    """A near copy: one or two of the edits a re-publisher makes."""
    paras = list(paras)
    kinds = rng.sample(["drop", "add", "reorder", "words", "tone"], 2)
    for k in kinds:
        if k == "drop":
            i = rng.randrange(len(paras))
            sents = re.split(r"(?<=[.!?])\s+", paras[i])
            if len(sents) > 2:
                sents.pop(rng.randrange(len(sents)))
                paras[i] = " ".join(sents)
        elif k == "add":
            paras[-1] = paras[-1] + " " + rng.choice(pool)
        elif k == "reorder" and len(paras) > 1:
            paras = paras[1:] + paras[:1]
        elif k == "words":
            for a, b in rng.sample(WORD_SWAPS, 3):
                paras = [p.replace(" " + a + " ", " " + b + " ", 1) for p in paras]
        elif k == "tone":
            for old, new in OLD_NEW:
                paras = [p.replace(old, new) for p in paras]
    return paras


def main():
    rng = random.Random(SEED)
    pool = sentences()
    records = []
    articles = []
    for i in range(200):
        paras = article(rng, pool)
        if rng.random() < 0.8:
            paras.append(FOOTERS[i % len(FOOTERS)])
        articles.append(paras)
        records.append(("news-%03d" % (i + 1), paras))
    # Derived records go after their original, at a random later place, so
    # the original is the first occurrence the dedupe keeps.
    later = {}
    def place(after, rec):
        later.setdefault(rng.randint(after, 199), []).append(rec)
    for i in range(20):
        j = rng.randrange(200)
        place(j, ("copy-%03d" % (i + 1), articles[j]))
    for i in range(20):
        j = rng.randrange(200)
        place(j, ("near-%03d" % (i + 1), edit(rng, articles[j], pool)))
    for i in range(5):
        place(rng.randrange(200), ("nodau-%03d" % (i + 1),
                                   [strip_diacritics(p) for p in article(rng, pool)]))
    for i in range(5):
        place(rng.randrange(200), ("spam-%03d" % (i + 1), [SPAM[i % len(SPAM)]]))
    for i in range(5):
        place(rng.randrange(200), ("en-%03d" % (i + 1), [ENGLISH[i % len(ENGLISH)]]))
    for i in range(5):
        place(rng.randrange(200), ("short-%03d" % (i + 1), [SHORT[i]]))
    merged = []
    for i, rec in enumerate(records):
        merged.append(rec)
        merged += later.get(i, [])
    out = os.path.join(HERE, "vi-news-demo.jsonl")
    with open(out, "w", encoding="utf-8") as f:
        for rid, paras in merged:
            text = "\n\n".join(paras)
            f.write(json.dumps({"id": rid, "text": text, "source": "sach-demo"},
                               ensure_ascii=False) + "\n")
    print("wrote %s: %d records" % (out, len(merged)), file=sys.stderr)


if __name__ == "__main__":
    main()
