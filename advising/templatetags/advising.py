"""{% advising_panel student %}: mentor, honors club and counseling on a student's page.

The student sees dates, types and agreed next steps (never notes); advisors, counselors and staff
also see the self-introduction with the employment wishes."""
from django import template

from careers import access

from .. import selectors

register = template.Library()


@register.inclusion_tag("advising/_panel.html", takes_context=True)
def advising_panel(context, student):
    user = context["request"].user
    if not access.students_visible_to(user).filter(pk=student.pk).exists():  # the page checked; stay safe
        return {"show": False}
    is_owner = student.user_id == user.pk
    return {
        "show": True,
        "student": student,
        "is_owner": is_owner,
        "sessions": selectors.sessions_for(user, student),
        "can_read_notes": selectors.may_read_notes(user, student),
        "honors": selectors.honors_membership(student),
        "intro": None if is_owner else selectors.intro_for(student),
        "may_log": bool(selectors.loggable_types(user, student)),
        "counseling_page": not is_owner,
    }
