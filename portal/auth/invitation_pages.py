"""The one page that invites together the people of a filtered list (the account list, the ASN
records list): it says how many e-mails will go out and whom it skips; one POST queues them
through the invitation service and goes back to the list, saying what was sent and skipped."""

from __future__ import annotations

from flask import flash, redirect, render_template
from flask_login import current_user

from portal.auth import invitations
from portal.auth import queries as account_queries
from portal.auth import services as account_services
from portal.auth.forms import ConfirmForm
from portal.refusals import attempt


def bulk_invitation_page(ids, *, source: str, back_url: str, back_label, filters: dict):
    """``ids``: a SELECT of the list's user ids, already scoped to what the admin may see."""
    counts = invitations.counts(ids)
    form = ConfirmForm()
    if form.validate_on_submit():
        people = account_queries.invitable(ids, limit=account_services.BULK_INVITATION_LIMIT)
        sent = attempt(
            lambda: account_services.send_invitations(people, actor=current_user, source=source)
        )
        if sent:
            flash(invitations.bulk_outcome(sent.value, counts), "success")
        return redirect(back_url)
    return render_template(
        "admin/bulk_invitations.html",
        counts=counts,
        filters=filters,
        back_url=back_url,
        back_label=back_label,
        limit=account_services.BULK_INVITATION_LIMIT,
        form=form,
    )
