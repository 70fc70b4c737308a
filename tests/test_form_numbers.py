"""Numbers typed into any form: absurdly large ones are refused with a message, never a 500
(WTForms' NumberRange turns a 309-digit integer into a float and raises OverflowError)."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import DecimalField, IntegerField
from wtforms.validators import InputRequired, NumberRange

from portal.forms import BaseForm
from portal.internships.placements.forms import EntryForm


class _Form(BaseForm):
    class Meta:
        csrf = False

    count = IntegerField("Count", validators=[InputRequired(), NumberRange(min=1, max=40)])
    share = DecimalField("Share", [NumberRange(min=0, max=100)])  # validators given by position


@pytest.mark.parametrize("value", ["1" + "0" * 400, "-" + "9" * 320, "10000000000000"])
def test_huge_integers_are_refused_with_a_message(app, value):
    with app.test_request_context("/?lang=en"):
        form = _Form(formdata=MultiDict({"count": value, "share": "1e400"}))
        assert not form.validate()
        assert form.errors["count"] == ["This number is far too large."]
        assert form.errors["share"]


def test_ordinary_numbers_still_get_their_range_message(app):
    with app.test_request_context("/?lang=en"):
        form = _Form(formdata=MultiDict({"count": "41", "share": "5"}))
        assert not form.validate()
        assert form.errors == {"count": ["Number must be between 1 and 40."]}


@pytest.mark.parametrize("hours", ["999999999999999999999999999999", "1e30", "12.5"])
def test_logbook_hours_out_of_range_do_not_crash(app, hours):
    with app.test_request_context("/?lang=en"):
        form = EntryForm(
            formdata=MultiDict({"day": "2026-11-20", "hours": hours, "activities": "Input data"}),
            meta={"csrf": False},
        )
        assert not form.validate()
        assert form.errors["hours"]
