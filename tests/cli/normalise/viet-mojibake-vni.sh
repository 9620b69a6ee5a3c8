# VNI bytes read as Windows-1252 give the familiar "Tieáng Vieät"
# (VIETNAMESE.md 2.3), made here from the encoders: encode to VNI, decode as
# CP1252. Reading the same bytes as VNI gives the text back.
printf 'Tiếng Việt\n' > in.txt
sach-normalise --format text --output-encoding vni in.txt > vni.bin
sach-normalise --format text --input-encoding cp1252 vni.bin
sach-normalise --format text --input-encoding vni vni.bin
