"""An empty form sent as it is (every field left blank) is a page with the fields' errors, never a
500: a form is bound to the POST even when the POST holds nothing."""
import pytest

from careers.kinds import STUDENT_KINDS
from tests.factories import StudentFactory, entry, write_intro

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", sorted(STUDENT_KINDS))
def test_an_empty_entry_form_names_the_missing_fields(client, kind):
    student = StudentFactory()
    write_intro(student)
    client.force_login(student.user)
    response = client.post(f"/me/entries/new/{kind}/", {})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not student.entries.exists()


def test_an_empty_edit_and_self_introduction_keep_what_is_stored(client):
    student = StudentFactory()
    write_intro(student)
    draft = entry(student)
    client.force_login(student.user)
    response = client.post(f"/entries/{draft.pk}/edit/", {})
    assert response.status_code == 200 and response.context["form"].errors
    draft.refresh_from_db()
    assert draft.data["score"] == 705
    response = client.post("/me/self-introduction/", {})
    assert response.status_code == 200 and response.context["form"].errors
    assert student.self_introduction.text.startswith("저는")
