"""Parts wired by inversion (a lower app defines a hook, an upper one fills it in AppConfig.ready) fail loudly
when the upper one is missing: a system check at start-up, and a refusal at the call."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from jiandu.accounts import events
from jiandu.accounts.services import user_deactivate
from jiandu.audit.models import AccessEvent, Action
from tests import builders


def test_account_changes_reach_the_access_log(db):
    admin = builders.make_user("admin-events")
    user = builders.make_user("leaver")
    assert events.account_event_writer_check() == []
    user_deactivate(user=user, by=admin)
    event = AccessEvent.objects.get(action=Action.CHANGE, object_id=str(user.pk))
    assert event.details == {"change": "deactivated"}


def test_without_the_access_log_an_account_change_is_refused(db, monkeypatch):
    user = builders.make_user("stays")
    monkeypatch.setattr(events, "_writers", [])
    assert [m.id for m in events.account_event_writer_check()] == ["jiandu.E012"]
    with pytest.raises(ImproperlyConfigured, match="jiandu.audit"):
        user_deactivate(user=user, by=None)
    user.refresh_from_db()
    assert user.is_active  # the change rolled back with the refused log entry


def test_without_the_lead_register_handed_over_alerts_are_refused_not_narrowed(people, monkeypatch):
    """An alert handed over to a lead is readable by whoever may read the lead; the lead register tells alerts
    who that is. Without it the rule cannot be applied, so reading alerts fails loudly instead of quietly
    showing fewer (or more) of them."""
    from jiandu.alerts import selectors

    assert selectors.leads_readable_check() == []
    assert selectors.alerts_for(people["owner"]).count() == 0  # the hook is there: the query builds
    monkeypatch.setattr(selectors, "_leads_readable", [])
    assert [m.id for m in selectors.leads_readable_check()] == ["jiandu.E013"]
    with pytest.raises(ImproperlyConfigured, match="jiandu.leads"):
        selectors.alerts_for(people["owner"]).count()
