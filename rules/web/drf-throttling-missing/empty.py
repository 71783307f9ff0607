# ruleid: drf-throttling-missing
REST_FRAMEWORK = {}
