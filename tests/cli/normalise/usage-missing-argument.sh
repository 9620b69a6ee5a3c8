# An option that needs a value, given last without one: one message line,
# then the hint.
sach-normalise --entities
