# --help goes to stdout with exit 0, starts with the usage line and names
# every option group; nothing on stderr.
sach-normalise --help >out || exit 1
head -n 1 out
for opt in --entities --form --fold-fullwidth --keep-controls --keep-invisible \
	--keep-spaces --no-collapse --no-trim --keep-newlines --max-blank-lines \
	--invalid-utf8 --explain --tone-style --input-encoding --output-encoding --no-viet --format --doc-sep --text-field --id-field \
	--max-record-bytes --output --compress --level --output-format --rejected \
	--on-error --quarantine --stats --progress --quiet --help --version; do
	grep -q -e "$opt" out || echo "missing $opt"
done
