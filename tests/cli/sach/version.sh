# sach --version: one line on stdout; exit 0.
sach --version
