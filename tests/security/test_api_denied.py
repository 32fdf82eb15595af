"""API views (Django REST framework) log access-module refusals like pages do."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from rest_framework.decorators import api_view
from rest_framework.response import Response

from jiandu.accounts.access import record_for
from jiandu.audit.models import AccessEvent
from jiandu.registry.models import REGISTRY
from tests import builders

pytestmark = pytest.mark.django_db


@api_view(["GET"])
def official_api(request, pk):  # type: ignore[no-untyped-def]
    record = record_for(request.user, REGISTRY["officials"].objects.all(), pk)
    return Response({"id": record.pk})


def test_api_refusal_is_logged_and_answered_404(people):
    record = builders.make_record("officials", builders.COUNTY_A)
    request = RequestFactory().get(f"/api/officials/{record.pk}/")
    request.user = people["outsider"]
    request.session = {}  # type: ignore[assignment]
    response = official_api(request, pk=record.pk)
    assert response.status_code == 404
    event = AccessEvent.objects.get(action="denied")
    assert (event.object_type, event.object_id, event.details["reason"]) == (
        "registry.officials",
        str(record.pk),
        "out_of_scope",
    )
