# --repair auto undoes each way text gets garbled: legacy bytes read as
# Windows-1252, UTF-8 read as Windows-1252 once and twice, and raw legacy
# bytes that are not UTF-8. The garbled files are made with the tools' own
# encoders (--output-encoding, then --input-encoding cp1252 with every other
# step off, so the mojibake is exactly what a wrong decoder makes).
printf '%s\n' 'Người dân trong xóm đã quen với tiếng còi tàu mỗi buổi sáng sớm' 'Chợ phiên họp vào ngày rằm, bán rau, cá và những giỏ trái cây tươi' > in.txt
sach-normalise --format text in.txt > want.txt
raw() { sach-normalise --format text --no-viet --keep-controls --keep-invisible --keep-spaces --no-collapse --no-trim --form none --entities none "$@"; }
for e in tcvn3 vni viscii vps cp1258; do
	sach-normalise --format text --output-encoding $e in.txt > raw.$e
	raw --input-encoding cp1252 raw.$e > moji.$e
	sach-normalise --format text --repair auto moji.$e > fixed.$e
	cmp -s fixed.$e want.txt && echo "$e read as cp1252: repaired" || echo "$e read as cp1252: NOT repaired"
	sach-normalise --format text --repair auto raw.$e > fixed2.$e
	cmp -s fixed2.$e want.txt && echo "$e raw bytes: repaired" || echo "$e raw bytes: NOT repaired"
done
raw --input-encoding cp1252 in.txt > once.txt
raw --input-encoding cp1252 once.txt > twice.txt
for f in once twice; do
	sach-normalise --format text --repair auto $f.txt | cmp -s - want.txt && echo "utf-8 read as cp1252 $f: repaired" || echo "utf-8 read as cp1252 $f: NOT repaired"
done
