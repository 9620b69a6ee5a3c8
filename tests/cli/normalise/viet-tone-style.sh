# --tone-style keep fixes only misplaced and doubled marks; old and new also
# move the mark in open oa/oe/uy syllables; case stays with each letter;
# i and y are never exchanged (ly and li both stay).
printf '%s\n' 'hoà thuỷ khoẻ hòa thủy khỏe HOÀ Hoà' 'baì lựơng nghịêm dàì qũy' 'lý lí kỹ kĩ hoàn toán quý' > in.txt
for s in keep old new; do
	echo "== $s"
	sach-normalise --format text --tone-style $s in.txt
done
