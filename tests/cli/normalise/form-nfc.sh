# --form nfc (the default) composes decomposed text: NFD (e + dot below +
# circumflex, in either order), CP1258 style (precomposed e-circumflex +
# combining dot below), o + combining grave. Compatibility characters (fi
# ligature, superscript two) are not NFC's business and stay.
printf '%s\n' '{"id": "f", "text": "Vie\u0323\u0302t Nam, Vie\u0302\u0323t, Vi\u00ea\u0323t, ho\u0300a, \ufb01 x\u00b2"}' >in.jsonl
sach-normalise in.jsonl
sach-normalise --form nfc in.jsonl
