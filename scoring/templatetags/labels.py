"""Template filters over scoring.labels: no page shows an engine code.

    {% load labels %}
    {{ item.rule|rule_label:result }}        the rule in words (the result gives its rule set)
    {{ requirement|requirement_label }}      a requirement row in words
    {{ item.reason|readable_reason:names }}  entry ids in a reason → the entries' summaries
    {{ code|test_label }} {{ code|activity_label }}
"""
from django import template

from scoring import labels

register = template.Library()


@register.filter
def rule_label(rule_id, result=None):
    result = result if isinstance(result, dict) else {}
    return labels.rule_label(rule_id, ruleset=result.get("ruleset"), program=result.get("program"))


@register.filter
def requirement_label(requirement):
    return labels.requirement_label(requirement)


@register.filter
def readable_reason(reason, summaries=None):
    return labels.readable_reason(reason, summaries if isinstance(summaries, dict) else None)


@register.filter
def test_label(code):
    return labels.test_label(code)


@register.filter
def activity_label(code):
    return labels.activity_label(code)
