"""Notification settings: each user chooses per category how to hear about it (in the portal
only, e-mail at once, or one daily digest e-mail)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import RadioField

from portal.access import SIGNED_IN, allow
from portal.db import db
from portal.forms import BaseForm, choices
from portal.i18n import _, _l
from portal.main import bp
from portal.notification_prefs import DEFAULT_CHANNEL, Channel, preferences_of, save_preferences
from portal.notify import CATEGORIES

FIELD_PREFIX = "category_"


def preferences_form(current: dict[str, Channel]) -> BaseForm:
    """A form with one radio group per registered category, the current choice checked (the
    default channel where the user never chose). An unknown value fails as "not a valid choice".
    """

    class NotificationSettingsForm(BaseForm):
        """One radio group per category, added below (the categories are known at run time)."""

    options = choices((channel.value, channel.title) for channel in Channel)
    for name, category in CATEGORIES.items():
        field = RadioField(
            category.label,
            description=category.description,
            choices=options,
            default=current.get(name, DEFAULT_CHANNEL).value,
            validate_choice=True,
        )
        setattr(NotificationSettingsForm, FIELD_PREFIX + name, field)
    return NotificationSettingsForm()


def chosen(form: BaseForm) -> dict[str, Channel]:
    """The channel per category from a validated form."""
    return {name: Channel(form[FIELD_PREFIX + name].data) for name in CATEGORIES}


INVALID = _l("Some choices could not be saved: choose one of the options for each kind.")


@bp.route("/notifications/settings", methods=["GET", "POST"])
@allow(SIGNED_IN)
def notification_settings():
    user = current_user._get_current_object()
    form = preferences_form(preferences_of(user))
    if form.validate_on_submit():
        save_preferences(user, chosen(form))
        db.session.commit()
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for("main.notification_settings"))
    if request.method == "POST":
        flash(str(INVALID), "danger")
        return render_template("main/notification_settings.html", form=form), 400
    return render_template("main/notification_settings.html", form=form)
