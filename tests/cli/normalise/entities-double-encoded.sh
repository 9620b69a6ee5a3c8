# Under --entities all a double-encoded reference is decoded all the way:
# &amp;lt; is '<', &amp;amp;lt; too, &amp;agrave; is a-grave, &#38;lt; is
# '<'. (Stopping after one level would leave "&lt;", which a second run
# would change: the normaliser must be idempotent.)
printf '%s\n' '{"id": "e", "text": "&amp;lt;b&amp;gt; &amp;amp;lt; &amp;agrave; &#38;lt; &amp;#7879;"}' >in.jsonl
sach-normalise in.jsonl >out.jsonl
cat out.jsonl
sach-normalise out.jsonl | cmp - out.jsonl && echo stable
