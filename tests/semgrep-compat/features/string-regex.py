import requests

# ruleid: string-regex
requests.get("http://example.com/a")
# ruleid: string-regex
requests.get("HTTP://EXAMPLE.COM", timeout=3)
URL = "http://example.com/b"
# ruleid: string-regex
requests.get(URL)
# ok: string-regex
requests.get("https://example.com")
# ok: string-regex
requests.get("http://localhost:8000")
# ok: string-regex
requests.get(url)
