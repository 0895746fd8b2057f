"""schemathesis over the OpenAPI schema the portal serves, as a student and as staff (issue 12): no
answer is a server error, and every status code the API answers with is documented in the schema.

Bounded: SCHEMATHESIS_EXAMPLES examples per operation and user (default 12), no shrinking, no
example database. Select with `-m schemathesis`. (schemathesis' own pytest plugin, `from_fixture`,
does not run under the installed pytest; the operations are driven with hypothesis directly.)
"""
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hyp_settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from careers.models import EntryStatus
from tests.factories import StudentFactory, entry, staff_user, write_intro

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "12"))


@pytest.fixture
def people(db):
    student = StudentFactory()
    write_intro(student)
    for status in (EntryStatus.DRAFT, EntryStatus.SUBMITTED, EntryStatus.APPROVED):
        entry(student, status=status)
    staff = staff_user(department=student.major.department)
    return {
        "student": Token.objects.create(user=student.user).key,
        "staff": Token.objects.create(user=staff).key,
    }


@pytest.fixture
def wsgi_app():
    """The real WSGI application, kept on the test's database connection (as Django's test client
    does: the request signals would otherwise close the connection holding the test transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _api_schema(people, wsgi_app):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app,
                                          headers={"Authorization": f"Token {people['student']}"})


SETTINGS = hyp_settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))


def _run(people, wsgi_app, who):
    """Every operation, EXAMPLES cases each; the failures of all operations are reported together."""
    token = people[who]
    failures = []
    operations = 0
    for result in _api_schema(people, wsgi_app).get_all_operations():
        operation = result.ok()
        operations += 1

        @SETTINGS
        @given(case=operation.as_strategy())
        def check(case):
            case.headers = {**(case.headers or {}), "Authorization": f"Token {token}"}
            response = case.call()
            case.validate_response(response, checks=[not_a_server_error, status_code_conformance])

        try:
            check()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as error:  # noqa: BLE001 (schemathesis' FailureGroup; reported together)
            failures.append(f"{operation.method.upper()} {operation.path}: {str(error)[:1500]}")
    assert operations >= 19
    assert not failures, "\n\n".join(failures)


def test_the_api_answers_a_student_as_its_schema_says(people, wsgi_app):
    _run(people, wsgi_app, "student")


def test_the_api_answers_staff_as_its_schema_says(people, wsgi_app):
    _run(people, wsgi_app, "staff")
