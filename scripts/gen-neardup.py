#!/usr/bin/env python3
"""Near-duplicate test set for sach-dedupe: originals plus edited copies.

Reads JSONL documents (id, text), writes every original and, for each, COPIES
edited copies with "dup_of" naming the original and "edit" naming what was
done. Edits: delete a sentence, insert a sentence from another document,
change a share of syllables (5-30%), reorder paragraphs, switch tone style
(hoa with the mark on o <-> on a), strip diacritics. Deterministic (--seed).

  scripts/gen-neardup.py --copies 2 --max-docs 2000 in.jsonl > set.jsonl
  scripts/gen-neardup.py --score out.jsonl rejected.jsonl   # precision/recall

Scoring: a copy is a true duplicate of its original except "strip" copies,
which only count when --skeleton was used (pass --skeleton to --score).
Precision = dropped copies / all dropped; recall = dropped copies / copies.
"""
import argparse
import json
import random
import re
import sys
import unicodedata

SENT = re.compile(r'(?<=[.!?])\s+')
TONES = {'\u0300', '\u0301', '\u0303', '\u0309', '\u0323'}


def strip_diacritics(s):
    d = unicodedata.normalize('NFD', s.replace('\u0111', 'd').replace('\u0110', 'D'))
    return unicodedata.normalize('NFC', ''.join(c for c in d if unicodedata.category(c) != 'Mn'))


def switch_tone_style(s):
    # oa/oe/uy open syllables: move the tone mark between the two vowels.
    def fix(m):
        w = m.group(0)
        d = unicodedata.normalize('NFD', w)
        tone = [c for c in d if c in TONES]
        if len(tone) != 1:
            return w
        base = ''.join(c for c in d if c not in TONES)
        low = base.lower()
        for pair in ('oa', 'oe', 'uy'):
            i = low.find(pair)
            if i >= 0 and i + 2 == len(low):
                first = d.index(tone[0]) <= i + 1
                at = i + 2 if first else i + 1
                return unicodedata.normalize('NFC', base[:at] + tone[0] + base[at:])
        return w
    return re.sub(r'\w+', fix, s)


def change_syllables(s, share, rng, pool):
    words = s.split(' ')
    for i in range(len(words)):
        if rng.random() < share and pool:
            words[i] = rng.choice(pool)
    return ' '.join(words)


def edit(doc, other, rng, pool):
    text = doc['text']
    kind = rng.choice(['delete', 'insert', 'syllables', 'reorder', 'tone', 'strip'])
    sents = SENT.split(text)
    if kind == 'delete' and len(sents) > 3:
        del sents[rng.randrange(len(sents))]
        text = ' '.join(sents)
    elif kind == 'insert':
        extra = SENT.split(other['text'])
        sents.insert(rng.randrange(len(sents) + 1), rng.choice(extra))
        text = ' '.join(sents)
    elif kind == 'syllables':
        share = rng.uniform(0.05, 0.30)
        kind = 'syllables-%d' % round(share * 100)
        text = change_syllables(text, share, rng, pool)
    elif kind == 'reorder':
        paras = text.split('\n')
        if len(paras) < 2:
            paras = sents
        rng.shuffle(paras)
        text = '\n'.join(paras) if '\n' in doc['text'] else ' '.join(paras)
    elif kind == 'tone':
        text = switch_tone_style(text)
    elif kind == 'strip':
        text = strip_diacritics(text)
    else:
        kind = 'syllables-10'
        text = change_syllables(text, 0.10, rng, pool)
    return kind, text


def shingles(text):
    w = text.lower().split()
    return {' '.join(w[i:i + 5]) for i in range(max(1, len(w) - 4))}


def distinct(docs, limit):
    # Originals that are already copies of each other (templated demo text)
    # would count as false positives: keep only documents whose word
    # 5-gram Jaccard with every earlier one stays under the limit.
    kept, sets = [], []
    for d in docs:
        s = shingles(d['text'])
        if all(len(s & t) < limit * len(s | t) for t in sets):
            kept.append(d)
            sets.append(s)
    return kept


def generate(args):
    rng = random.Random(args.seed)
    docs = []
    for f in args.inputs:
        for line in open(f, encoding='utf-8'):
            if line.strip():
                d = json.loads(line)
                if len(d.get('text', '').split()) >= args.min_words:
                    docs.append(d)
    if args.distinct > 0:
        docs = distinct(docs, args.distinct)
    docs = docs[:args.max_docs]
    pool = [w for d in docs[:200] for w in d['text'].split(' ')][:20000]
    out = sys.stdout
    n = 0
    for i, d in enumerate(docs):
        out.write(json.dumps({'id': 'o%d' % i, 'text': d['text']}, ensure_ascii=False) + '\n')
        for c in range(args.copies):
            kind, text = edit(d, docs[rng.randrange(len(docs))], rng, pool)
            out.write(json.dumps({'id': 'o%d-c%d' % (i, c), 'text': text, 'dup_of': 'o%d' % i,
                                  'edit': kind}, ensure_ascii=False) + '\n')
            n += 1
    print('gen-neardup: %d originals, %d copies' % (len(docs), n), file=sys.stderr)


def score(args):
    kept = [json.loads(l) for l in open(args.inputs[0], encoding='utf-8') if l.strip()]
    dropped = [json.loads(l) for l in open(args.inputs[1], encoding='utf-8') if l.strip()]

    def counts(d):
        return 'dup_of' in d and (args.skeleton or d.get('edit') != 'strip')

    copies = sum(1 for d in kept + dropped if counts(d))
    true_drop = sum(1 for d in dropped if 'dup_of' in d)
    counted_drop = sum(1 for d in dropped if counts(d))
    precision = true_drop / len(dropped) if dropped else 1.0
    recall = counted_drop / copies if copies else 1.0
    by_edit = {}
    for d in kept + dropped:
        if 'edit' in d:
            e = re.sub(r'-\d+$', '', d['edit'])
            k = by_edit.setdefault(e, [0, 0])
            k[0] += 1
            k[1] += d in dropped
    print('precision %.3f recall %.3f (dropped %d, true copies dropped %d, copies %d)' %
          (precision, recall, len(dropped), true_drop, copies))
    print('recall by edit: ' + ', '.join('%s %d/%d' % (e, v[1], v[0]) for e, v in sorted(by_edit.items())))
    ok = True
    if precision < args.min_precision:
        print('FAIL: precision %.3f < %.3f' % (precision, args.min_precision))
        ok = False
    for item in filter(None, args.min_recall.split(',')):
        e, floor = item.split('=')
        n, hit = by_edit.get(e, [0, 0])
        if n == 0 or hit / n < float(floor):
            print('FAIL: recall of %s %d/%d < %s' % (e, hit, n, floor))
            ok = False
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--seed', type=int, default=5)
    ap.add_argument('--copies', type=int, default=1)
    ap.add_argument('--max-docs', type=int, default=1000)
    ap.add_argument('--min-words', type=int, default=30)
    ap.add_argument('--distinct', type=float, default=0.0,
                    help='drop originals this similar (word 5-gram Jaccard) to an earlier one')
    ap.add_argument('--min-precision', type=float, default=0.0,
                    help='--score: exit 1 if precision is lower')
    ap.add_argument('--min-recall', default='',
                    help='--score: EDIT=FLOOR,... exit 1 if the recall of an edit is lower')
    ap.add_argument('--score', action='store_true')
    ap.add_argument('--skeleton', action='store_true')
    ap.add_argument('inputs', nargs='+')
    args = ap.parse_args()
    if args.score:
        sys.exit(score(args))
    else:
        generate(args)


if __name__ == '__main__':
    main()
