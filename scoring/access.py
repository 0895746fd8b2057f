"""Who may open the rule-file pages (mileage_portal.permissions)."""
from mileage_portal.permissions import is_admin

can_edit_rules = is_admin  # scoring.rulesets.may_edit_rules asks the same
