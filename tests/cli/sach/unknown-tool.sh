# A name that is not a sach tool is a usage error: exit 2, message and hint
# on stderr, nothing run, nothing on stdout.
sach nosuchtool --help
