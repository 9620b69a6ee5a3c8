# --output-encoding writes text in each legacy encoding and --input-encoding
# reads it back to the same text. TCVN3 has no capital toned letters, so the
# text here is lower case apart from letters TCVN3 has (T, V, N).
printf '%s\n' 'Tiếng Việt là ngôn ngữ chính thức' 'người được khoẻ mạnh, hoà bình và đoàn kết' > in.txt
sach-normalise --format text in.txt > want.txt
for e in tcvn3 vni viscii vps viqr cp1258 utf-8; do
	sach-normalise --format text --output-encoding $e in.txt > enc.$e
	sach-normalise --format text --input-encoding $e enc.$e > back.$e
	if cmp -s want.txt back.$e; then echo "$e: same"; else echo "$e: differs"; fi
done
# The legacy files are not UTF-8 (VIQR is ASCII).
for e in tcvn3 vni viscii vps cp1258; do
	if iconv -f UTF-8 -t UTF-8 enc.$e >/dev/null 2>&1; then echo "$e: valid UTF-8?"; fi
done
