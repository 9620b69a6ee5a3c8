# --repair auto never touches text that is already right: clean Vietnamese,
# English, French and German with their own accents, code.
sach-normalise --repair auto "$CORPORA/vi-clean.jsonl" | cmp - "$CORPORA/vi-clean.jsonl" && echo "vi-clean: unchanged"
printf '%s\n' 'The café on the corner serves naïve crème brûlée.' 'Müller und Söhne, Köln; Ærø; señor Muñoz' 'if (x < 0) { printf("%d\n", x); }' 'Où est la bibliothèque ? À côté de l’école.' > other.txt
sach-normalise --format text other.txt > want.txt
sach-normalise --format text --repair auto other.txt | cmp - want.txt && echo "other languages: unchanged"
