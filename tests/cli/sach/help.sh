# sach --help lists the tools on stdout; exit 0.
sach --help
