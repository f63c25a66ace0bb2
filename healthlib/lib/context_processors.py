from django.conf import settings


def site(request):
    return {
        "SITE_URL": settings.SITE_URL,
        "SITE_NAME": "healthlib",
        "EMERGENCY_NUMBER": settings.EMERGENCY_NUMBER,
        # The language of pages without a prefix: hreflang="x-default".
        "DEFAULT_LANGUAGE": settings.LANGUAGE_CODE,
    }
