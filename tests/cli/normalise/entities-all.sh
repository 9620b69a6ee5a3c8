# --entities all (the default) decodes named and numeric (decimal, upper- and
# lower-case hex) references; an unknown name and a bare '&' stay as they are.
printf '%s\n' '{"id": "e", "text": "A &amp; B &lt;c&gt; &quot;q&quot; &agrave; &ocirc; &#7879; &#x1EC7; &#x1ec7; &#273; &foo; R&D"}' >in.jsonl
sach-normalise in.jsonl
sach-normalise --entities all in.jsonl
