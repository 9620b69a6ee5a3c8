# sach with no tool name: usage on stderr, nothing on stdout, exit 2.
sach
