# ruleid: pcre-regex
db_password = "hunter2"
# ruleid: pcre-regex
API_SECRET = "x"
# ok: pcre-regex
test_password = "fake"
# ok: pcre-regex
username = "bob"
# ruleid: pcre-regex-backref
y = 2  # the the value
# ok: pcre-regex-backref
z = 3  # the theory
