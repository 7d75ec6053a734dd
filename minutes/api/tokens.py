"""A member's own API token: for reading members-only minutes through /api/v1/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    """Show the signed-in user's token; make a new one (the old stops working) or revoke it."""
    if request.method == "POST":
        with transaction.atomic():
            Token.objects.filter(user=request.user).delete()
            if request.POST.get("action") == "revoke":
                messages.success(request, "Your API token is revoked: it no longer works.")
            else:
                Token.objects.create(user=request.user)
                messages.success(
                    request, "You have a new API token. Any earlier one no longer works."
                )
        return redirect("minutes:api_token")
    token = Token.objects.filter(user=request.user).first()
    return render(request, "minutes/api_token.html", {"token": token})
