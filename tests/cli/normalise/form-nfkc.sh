# --form nfkc composes like NFC and also folds compatibility characters: the
# fi ligature becomes "fi", superscript two becomes "2".
printf '%s\n' '{"id": "f", "text": "Vie\u0323\u0302t Nam, Vie\u0302\u0323t, Vi\u00ea\u0323t, ho\u0300a, \ufb01 x\u00b2"}' >in.jsonl
sach-normalise --form nfkc in.jsonl
