# Field names must be non-empty, and the text field may not be the reserved
# meta key "sach"; -o needs a file name.
sach-normalise --text-field '' </dev/null
echo "exit $?"
sach-normalise --text-field sach </dev/null
echo "exit $?"
sach-normalise --id-field '' </dev/null
echo "exit $?"
sach-normalise -o '' </dev/null
echo "exit $?"
