# --version prints one line, the tool name and version, on stdout; exit 0.
sach-normalise --version
