# In a record whose text changes, only the text value is rewritten: every
# other field keeps its exact bytes (1.50, 1e5, -0, -1.0E+2, a 30-digit
# integer, \u00e9 and \/ and \" escapes, nested values, key order, odd
# spacing), and the text may sit anywhere in the object.
printf '%s\n' '{"n": 1.50, "e": 1e5, "z": -0, "big": 123456789012345678901234567890, "s": "caf\u00e9 \/ \"q\"", "text": "a  b", "arr": [1, {"k": -1.0E+2}, true, null, {}, []], "id":"x" }' >in.jsonl
printf '%s\n' '{"text":"  c\u00e9  ","id":1}' >>in.jsonl
sach-normalise in.jsonl
