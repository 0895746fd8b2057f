"""Writes on accounts: a user's API token (DRF's authtoken, one per user)."""
from django.db import transaction
from rest_framework.authtoken.models import Token

from audit.services import log_action


@transaction.atomic
def api_token_create(*, actor):
    """A new token for `actor`, replacing any earlier one (which stops working at once)."""
    Token.objects.filter(user=actor).delete()
    token = Token.objects.create(user=actor)
    log_action(actor=actor, action="api_token.create", obj=actor)
    return token


@transaction.atomic
def api_token_revoke(*, actor):
    deleted, _ = Token.objects.filter(user=actor).delete()
    if deleted:
        log_action(actor=actor, action="api_token.revoke", obj=actor)
    return bool(deleted)
