# Errors found by getopt are reported once, with the tool's name, then the
# hint; exit 2 and nothing on stdout: an unknown long option, an unknown
# short option, a long option missing its value (given last), a flag given
# a value, a short option missing its value.
for args in '--bogus' '-x' '--entities' '--explain=yes' '-o'; do
	sach-normalise $args </dev/null
	echo "exit $?"
done
