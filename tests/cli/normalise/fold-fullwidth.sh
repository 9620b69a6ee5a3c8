# Fullwidth forms stay by default (NFC keeps them); --fold-fullwidth folds
# U+FF01-FF5E to ASCII and U+FFE0-FFE6 to their ordinary forms; halfwidth
# katakana (U+FF76) is not a fullwidth form and stays.
printf '%s\n' '{"id": "w", "text": "\uff21\uff22\uff23 \uff11\uff12\uff13 \uff01 \uffe5 \uff76"}' >in.jsonl
sach-normalise in.jsonl | cmp - in.jsonl && echo unchanged
sach-normalise --fold-fullwidth in.jsonl
