# --entities none decodes nothing: the record is written back byte for byte.
printf '%s\n' '{"id": "e", "text": "A &amp; B &lt;c&gt; &agrave; &#7879; &#x1EC7; &amp;lt;"}' >in.jsonl
sach-normalise --entities none in.jsonl | cmp - in.jsonl && echo unchanged
