# --input-encoding decodes legacy Vietnamese text before normalising
# (vectors from VIETNAMESE.md section 2): TCVN3 "TiÕng ViÖt, ng­êi ®­îc
# kh«ng" (the ­ is U+00AD), VNI "Tieáng Vieät, ngöôøi ñöôïc khoâng", VIQR
# "Tie^'ng Vie^.t, ngu+o+`i ddu+o+.c kho^ng": all "Tiếng Việt, người được
# không".
printf 'Ti\325ng Vi\326t, ng\255\352i \256\255\356c kh\253ng\n' |
	sach-normalise --format text --input-encoding tcvn3
printf 'Tie\341ng Vie\344t, ng\366\364\370i \361\366\364\357c kho\342ng\n' |
	sach-normalise --format text --input-encoding vni
printf "Tie^'ng Vie^.t, ngu+o+\140i ddu+o+.c kho^ng\n" |
	sach-normalise --format text --input-encoding viqr
