# --output-encoding: a character the legacy encoding cannot write becomes
# '?' and is counted (output_unmapped in --stats); an unknown encoding name
# is a usage error.
printf 'Vi\341\273\207t \360\237\230\200\n' | sach-normalise --format text --output-encoding tcvn3 --stats st.json | od -An -c
grep '"output_unmapped"' st.json
sach-normalise --format text --output-encoding klingon </dev/null
echo "exit $?"
