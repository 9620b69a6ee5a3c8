# An unknown long option is a usage error: one message line naming the
# option, then the hint, on stderr; nothing on stdout; exit 2.
sach-normalise --bogus
