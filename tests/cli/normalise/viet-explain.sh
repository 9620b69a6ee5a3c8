# --explain reports what the Vietnamese layer found and did: letter tokens,
# well-formed syllables, tokens with diacritics, the tone-style mix as found,
# and the marks it moved.
printf '{"id": "t", "text": "Ho\\u00e0 b\\u00ecnh v\\u00e0 h\\u00f2a h\\u1ee3p ba\\u00ec xyzzy"}\n' > in.jsonl
sach-normalise --explain in.jsonl | tr ',' '\n' | grep -E '"(syllables|well_formed|with_diacritics|old_style|new_style|tones_fixed|tones_restyled|ambiguous_tones)"' | tr -d '{}'
sach-normalise --explain --tone-style new in.jsonl | tr ',' '\n' | grep -E '"(text|tones_fixed|tones_restyled)"'
