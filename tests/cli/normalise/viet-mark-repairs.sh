# Repairs NFC cannot do (VIETNAMESE.md 1.1): a tone typed before the
# circumflex, a spacing acute after a vowel, eth for d-stroke, a caron for
# the breve, and a Cyrillic lookalike inside a Latin word. With --no-viet
# the same text is only composed to NFC.
printf 'Tie\314\201\314\202ng Vi\303\252\314\243t ca\302\264 \303\220\303\240 N\341\272\265ng n\307\216m H\320\260 N\341\273\231i\n' > in.txt
sach-normalise --format text in.txt
sach-normalise --format text --no-viet in.txt | od -An -c | tr -s ' ' | head -n 2
