# --list-rules prints the rules in evaluation order with the defaults.
sach-filter --list-rules
echo "exit $?"
