import hashlib, hmac, time

def verify(secret: bytes, headers, body: bytes, max_age: int = 300) -> bool:
    ts = headers.get("X-Obs-Timestamp", "")
    expected = "sha256=" + hmac.new(secret, ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    return ts.isdecimal() and abs(time.time() - int(ts)) <= max_age and hmac.compare_digest(expected.encode(), headers.get("X-Obs-Signature", "").encode())
