# settings.py of an API without a throttling policy
INSTALLED_APPS = ["django.contrib.auth", "rest_framework", "api"]

# ruleid: drf-throttling-missing
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
