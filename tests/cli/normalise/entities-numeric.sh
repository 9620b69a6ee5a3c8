# --entities numeric decodes only numeric references, and leaves named ones
# (even &amp;) alone. A numeric '&' that forms a new reference is decoded
# until nothing is left to decode, so a second run changes nothing.
printf '%s\n' '{"id": "e", "text": "A &amp; B &lt;c&gt; &agrave; &#7879; &#x1EC7; &#x1ec7; &#38;#273;"}' >in.jsonl
sach-normalise --entities numeric in.jsonl >out.jsonl
cat out.jsonl
sach-normalise --entities numeric out.jsonl | cmp - out.jsonl && echo stable
