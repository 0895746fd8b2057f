"""The user's own account pages: the API token."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from . import services
from mileage_portal.permissions import permission_required
from .access import can_manage_own_account


@login_required
@permission_required(can_manage_own_account)
def api_token(request):
    """GET: whether a token exists. POST action=create shows the new key once; action=revoke drops it."""
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            new_key = services.api_token_create(actor=request.user).key
        elif action == "revoke":
            if services.api_token_revoke(actor=request.user):
                messages.success(request, _("Your API token was revoked."))
            return redirect("accounts:api_token")
        else:
            messages.error(request, _("Unknown action."))
            return redirect("accounts:api_token")
    token = Token.objects.filter(user=request.user).first()
    return render(request, "accounts/api_token.html", {"token": token, "new_key": new_key})
