"""Recusal, one relation kind at a time, through the official's portrait: who is blocked and who is not.

The user ("owner", a county supervisor) is linked to ME; the subject is the official SUBJECT. Each test builds
only the registry rows of one relation and asks the portrait page: 403 with the relation named, or 200.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.registry.recusal import Parties, Proof, recusal_conflicts, today_minus_years
from jiandu.security.idnumbers import id_hash
from tests.security import recusal_scenario as s

pytestmark = pytest.mark.django_db


def _portrait(user, person):  # type: ignore[no-untyped-def]
    return s.client_for(user).get(reverse("official_portrait", args=[person.pk]))


def _blocked(user, person, label: str) -> None:  # type: ignore[no-untyped-def]
    response = _portrait(user, person)
    body = response.content.decode()
    assert response.status_code == 403, body[:500]
    assert "根据回避规定，您不能查阅该对象" in body and label in body, body[:2000]
    assert "此次访问已报告" in body
    assert person.name not in body  # nothing about the subject beyond what the user clicked


def _open(user, person) -> None:  # type: ignore[no-untyped-def]
    response = _portrait(user, person)
    assert response.status_code == 200, response.content.decode()[:1000]
    assert person.name in response.content.decode()


def test_self(people):
    user = s.link(people["owner"], s.SUBJECT)
    _blocked(user, s.official(), "本人")


def test_unrelated_linked_user_is_not_blocked(people):
    user = s.link(people["owner"])
    person = s.official()
    s.family(s.SUBJECT, "配偶", s.OTHER)  # the subject has a family, just not the user
    s.position(s.SUBJECT, s.BUREAU, dt.date(2015, 1, 1))
    s.position(s.ME, s.SCHOOL, dt.date(2015, 1, 1))
    _open(user, person)


def test_unlinked_user_passes_unchecked_outside_production(people):
    s.family(s.SUBJECT, "配偶", s.ME)
    _open(people["owner"], s.official())


@pytest.mark.parametrize(
    ("declarant", "relation", "member", "label"),
    [
        (s.SUBJECT, "配偶", s.ME, "配偶"),  # the subject declared the user
        (s.ME, "配偶", s.SUBJECT, "配偶"),  # the user declared the subject
        (s.ME, "子女", s.SUBJECT, "父母子女"),  # the subject is the user's child …
        (s.SUBJECT, "父亲", s.ME, "父母子女"),  # … as the child's own declaration says
        (s.SUBJECT, "母亲", s.ME, "父母子女"),
        (s.SUBJECT, "子女", s.ME, "父母子女"),  # the user is the subject's child
        (s.SUBJECT, "兄弟姐妹", s.ME, "兄弟姐妹"),
        (s.ME, "兄弟姐妹", s.SUBJECT, "兄弟姐妹"),
        (s.SUBJECT, "配偶父母", s.ME, "近姻亲"),
        (s.ME, "子女配偶", s.SUBJECT, "近姻亲"),
    ],
)
def test_close_relative_declared_in_either_direction(people, declarant, relation, member, label):
    user = s.link(people["owner"])
    s.family(declarant, relation, member)
    _blocked(user, s.official(), label)


def test_relative_declared_without_id_number_is_not_matched(people):
    user = s.link(people["owner"])
    s.family(s.SUBJECT, "配偶", None)
    _open(user, s.official())


def test_grandchild_through_two_declarations(people):
    user = s.link(people["owner"])
    s.family(s.ME, "子女", s.OTHER)  # the user's child …
    s.family(s.OTHER, "子女", s.SUBJECT)  # … declared the subject as their child
    _blocked(user, s.official(), "祖孙")


def test_grandparent_through_the_parents_declaration(people):
    user = s.link(people["owner"])
    s.family(s.SUBJECT, "子女", s.OTHER)  # the subject's child is …
    s.family(s.OTHER, "子女", s.ME)  # … the user's parent
    _blocked(user, s.official(), "祖孙")


def test_sibling_through_a_common_parent(people):
    user = s.link(people["owner"])
    s.family(s.OTHER, "子女", s.ME)
    s.family(s.OTHER, "子女", s.SUBJECT)
    _blocked(user, s.official(), "兄弟姐妹")


def test_spouses_parent_is_an_in_law(people):
    user = s.link(people["owner"])
    s.family(s.ME, "配偶", s.OTHER)
    s.family(s.OTHER, "父亲", s.SUBJECT)
    _blocked(user, s.official(), "近姻亲")


def test_relatives_of_relatives_beyond_the_rules_are_not_blocked(people):
    user = s.link(people["owner"])
    s.family(s.ME, "兄弟姐妹", s.OTHER)  # the user's sibling's spouse: not a near relative here
    s.family(s.OTHER, "配偶", s.SUBJECT)
    _open(user, s.official())


# --- former colleagues ---------------------------------------------------------------------------------------

SINCE = today_minus_years(s.TODAY, 3)


def test_colleague_serving_now(people):
    user = s.link(people["owner"])
    s.position(s.SUBJECT, s.BUREAU, dt.date(2015, 1, 1))
    s.position(s.ME, s.BUREAU, s.days(-400), s.days(-100))
    _blocked(user, s.official(), "三年内同单位任职")


def test_colleague_exactly_three_years_ago_is_blocked(people):
    user = s.link(people["owner"])
    s.position(s.SUBJECT, s.BUREAU, dt.date(2010, 1, 1))
    s.position(s.ME, s.BUREAU, dt.date(2012, 1, 1), SINCE)
    _blocked(user, s.official(), "三年内同单位任职")


def test_colleague_three_years_and_one_day_ago_is_not(people):
    user = s.link(people["owner"])
    s.position(s.SUBJECT, s.BUREAU, dt.date(2010, 1, 1))
    s.position(s.ME, s.BUREAU, dt.date(2012, 1, 1), SINCE - dt.timedelta(days=1))
    _open(user, s.official())


def test_subject_who_left_three_years_and_one_day_ago_is_not_a_colleague(people):
    user = s.link(people["owner"])
    s.position(s.SUBJECT, s.BUREAU, dt.date(2010, 1, 1), SINCE - dt.timedelta(days=1))
    s.position(s.ME, s.BUREAU, dt.date(2012, 1, 1))
    _open(user, s.official())


def test_colleague_in_a_different_unit_is_not(people):
    user = s.link(people["owner"])
    s.position(s.SUBJECT, s.BUREAU, dt.date(2015, 1, 1))
    s.position(s.ME, s.SCHOOL, dt.date(2015, 1, 1))
    _open(user, s.official())


def test_successor_taking_over_the_next_day_is_a_colleague(people):
    user = s.link(people["owner"])
    s.position(s.ME, s.BUREAU, dt.date(2015, 1, 1), s.days(-300))
    s.position(s.SUBJECT, s.BUREAU, s.days(-299))
    _blocked(user, s.official(), "三年内同单位任职")


def test_successor_after_a_gap_is_not_a_colleague(people):
    user = s.link(people["owner"])
    s.position(s.ME, s.BUREAU, dt.date(2015, 1, 1), s.days(-300))
    s.position(s.SUBJECT, s.BUREAU, s.days(-298))
    _open(user, s.official())


# --- companies --------------------------------------------------------------------------------------------


def test_both_hold_a_role_in_one_company(people):
    user = s.link(people["owner"])
    s.company_role(s.ME, role="股东")
    s.company_role(s.SUBJECT, role="董事")
    _blocked(user, s.official(), "关联同一企业")


def test_relative_and_subject_in_one_company(people):
    user = s.link(people["owner"])
    s.family(s.ME, "配偶", s.OTHER)
    s.company_role(s.OTHER, role="法定代表人")
    s.company_role(s.SUBJECT, role="股东")
    _blocked(user, s.official(), "关联同一企业")


def test_roles_in_different_companies_are_not_a_link(people):
    user = s.link(people["owner"])
    s.company_role(s.ME)
    s.company_role(s.SUBJECT, uscc=s.builders.make_uscc(s.A, 21))
    _open(user, s.official())


def test_a_role_ended_more_than_three_years_ago_no_longer_counts(people):
    user = s.link(people["owner"])
    s.company_role(s.ME, start=dt.date(2010, 1, 1), end=SINCE - dt.timedelta(days=1))
    s.company_role(s.SUBJECT)
    person = s.official()
    _open(user, person)
    s.company_role(s.ME, role="监事", start=dt.date(2010, 1, 1), end=SINCE)
    _blocked(user, person, "关联同一企业")


# --- the finder itself ---------------------------------------------------------------------------------------


def test_conflicts_carry_their_proofs_and_the_query_count_is_bounded(people, django_assert_max_num_queries):
    """Two persons of a subject (as in an alert's evidence): the official, the user's spouse; and a partner,
    the user's colleague and fellow shareholder. Every branch of the finder runs, in six queries."""
    partner = s.builders.make_id(s.A, "19810101", 9)
    person = s.official()
    spouse_row = s.family(s.SUBJECT, "配偶", s.ME)
    s.family(s.OTHER, "子女", s.ME)  # a parent: the second hop runs too
    mine = s.position(s.ME, s.BUREAU, dt.date(2015, 1, 1))
    theirs = s.position(partner, s.BUREAU, dt.date(2016, 1, 1))
    my_role = s.company_role(s.ME)
    their_role = s.company_role(partner, role="董事")
    parties = Parties()
    # parties hold people in the registry's form: the keyed hash of the ID
    parties.add_person(id_hash(s.SUBJECT), Proof("officials", person.pk))
    parties.add_person(id_hash(partner), Proof("bids", 7))
    with django_assert_max_num_queries(6):
        found = recusal_conflicts(s.ME, parties, s.TODAY)
    by_reason = {c.reason: set(c.proofs) for c in found}
    assert list(by_reason) == ["spouse", "colleague", "company"]
    assert by_reason["spouse"] == {Proof("family_members", spouse_row.pk), Proof("officials", person.pk)}
    assert by_reason["colleague"] == {
        Proof("positions", mine.pk),
        Proof("positions", theirs.pk),
        Proof("bids", 7),
    }
    assert by_reason["company"] == {
        Proof("company_roles", my_role.pk),
        Proof("company_roles", their_role.pk),
        Proof("bids", 7),
    }


def test_leap_day_window():
    assert today_minus_years(dt.date(2028, 2, 29), 3) == dt.date(2025, 2, 28)
    assert today_minus_years(dt.date(2026, 6, 30), 3) == dt.date(2023, 6, 30)
