# An unknown short option is a usage error: one message line, then the hint.
sach-normalise -x
