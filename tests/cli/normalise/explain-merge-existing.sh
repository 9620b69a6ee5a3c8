# A record that already has a "sach" object keeps what other stages wrote
# there; the normalise block is added to it, in place. Fields after it keep
# their exact bytes. (The counts are elided here; explain-meta shows them.)
printf '%s\n' '{"id": "m", "text": "a &amp; b", "sach": {"filter": {"score": 1.50, "tags": ["x"]}}, "z": 1e5}' >in.jsonl
sach-normalise --explain in.jsonl >out.jsonl
sed 's/"normalise":{[^}]*}/"normalise":{...}/' out.jsonl
grep -o '"entities":[0-9]*' out.jsonl
