"""Shared steps of the lead tests: everything goes through the web layer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Organisation
from jiandu.leads.models import Lead
from tests import builders

TODAY = dt.date.today()


def days(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def register(client: Client, **overrides: Any) -> Any:
    data = {
        "source": "manual",
        "received": days(0),
        "scope_region": builders.COUNTY_A,
        "category": "廉洁纪律",
        "matter": "收受管理服务对象礼金",
        "summary": "反映其在春节期间收受礼金",
        "subject_name_1": "张三",
        "subject_id_1": builders.make_id(seq=11),
        "subject_unit_1": "县住建局",
        "subject_title_1": "局长",
    }
    data.update(overrides)
    return client.post(reverse("lead_new"), data)


def registered(client: Client, **overrides: Any) -> Lead:
    before = set(Lead.objects.values_list("pk", flat=True))
    response = register(client, **overrides)
    assert response.status_code == 302, response.content.decode()[:2000]
    (pk,) = set(Lead.objects.values_list("pk", flat=True)) - before
    return Lead.objects.get(pk=pk)


def way(client: Client, lead: Lead, way_key: str, on: str | None = None) -> Any:
    return client.post(reverse("lead_way", args=[lead.pk]), {"way": way_key, "on": on or days(0)})


def step(client: Client, lead: Lead, step_key: str, **values: str) -> Any:
    data = {"step": step_key, **{f"f_{k}": v for k, v in values.items()}}
    return client.post(reverse("lead_step", args=[lead.pk]), data)


def conclude(client: Client, lead: Lead, **data: str) -> Any:
    return client.post(reverse("lead_conclude", args=[lead.pk]), data)


def transfer(client: Client, lead: Lead, to_org: Organisation, **data: Any) -> Any:
    return client.post(
        reverse("lead_transfer", args=[lead.pk]), {"to_org": to_org.pk, "note": "请依法处理", **data}
    )


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def page(client: Client, lead: Lead) -> str:
    response = client.get(reverse("lead_detail", args=[lead.pk]))
    assert response.status_code == 200
    return response.content.decode()


def county_commission(region: str = builders.COUNTY_A) -> Organisation:
    return Organisation.objects.get(region_code=region, kind=Organisation.Kind.COUNTY_COMMISSION)


# --- the reporter's identity: four eyes and a step-up (jiandu/leads/disclosure.py) ---------------------------

HIDDEN = "已隐去"


def petition_officer(
    username: str = "xinfang", region: str = builders.COUNTY_A, role: str = "supervisor"
) -> Any:
    """A user of the petition office (信访室) of the region's commission."""
    user = builders.make_user(username, role, region)
    user.office = "petition"
    user.save(update_fields=["office"])
    return user


def ask_to_see(client: Client, lead: Lead, reason: str = "需联系举报人补充证据") -> Any:
    return client.post(reverse("lead_reporter_request", args=[lead.pk]), {"reason": reason})


def decide(client: Client, disclosure: Any, decision: str = "approve") -> Any:
    return client.post(reverse("lead_disclosure_decide", args=[disclosure.pk]), {"decision": decision})


def reporter_page(client: Client, lead: Lead) -> Any:
    return client.get(reverse("lead_reporter", args=[lead.pk]))


def revealed(requester: Any, approver: Any, lead: Lead) -> str:
    """The whole way to the identity: request, a second user's approval, step-up, the page. Its body."""
    from jiandu.leads.models import ReporterDisclosure

    asking = client_for(requester)
    assert ask_to_see(asking, lead).status_code == 302
    disclosure = ReporterDisclosure.objects.filter(lead=lead, requested_by=requester).latest("id")
    assert decide(client_for(approver), disclosure).status_code == 302
    assert builders.step_up(asking).status_code == 302
    response = reporter_page(asking, lead)
    assert response.status_code == 200, response.status_code
    return response.content.decode()
