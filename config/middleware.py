"""Response headers every answer carries, whichever middleware or view produced it."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """Switch off the browser features Minutebook never uses (camera, microphone, location …),
    so that nothing injected into a page could ask for them."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response
