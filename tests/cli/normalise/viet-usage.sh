# Usage errors of the Vietnamese options exit 2 and name the option.
printf 'x\n' > in.txt
sach-normalise --tone-style modern in.txt; echo "exit $?"
sach-normalise --input-encoding klingon in.txt; echo "exit $?"
sach-normalise --output-encoding vni in.txt; echo "exit $?"
