"""Who may open the account pages (mileage_portal.permissions)."""
from mileage_portal.permissions import signed_in

can_manage_own_account = signed_in  # the API token page: one's own token
