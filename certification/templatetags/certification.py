"""{% committee_pass student as certified %}: the committee's pass decision (an Application) or
None, for pages outside this app that show the certification standing (the dashboard card)."""
from django import template

from certification import selectors

register = template.Library()


@register.simple_tag
def committee_pass(student):
    return selectors.committee_pass(student)
