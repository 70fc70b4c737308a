"""The notification centre: a user's messages in the portal, newest first.

Each notification belongs to one user; another user's notification does not exist here (404).
Opening one marks it read and follows its link, but only to a path on this site.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import flash, g, redirect, render_template, url_for
from flask_login import current_user

from portal.access import SIGNED_IN, allow, require
from portal.auth.models import Role
from portal.db import db, utcnow
from portal.forms import BaseForm
from portal.i18n import _
from portal.listing import page_arg, page_size
from portal.main import bp
from portal.notify import Notification
from portal.security import is_safe_url

log = logging.getLogger("portal.notifications")

# --- reads and writes (no commit: the views commit) ---------------------------------------------


def _unread(user_id: int):
    return sa.and_(Notification.user_id == user_id, Notification.read_at.is_(None))


def unread_count(user) -> int:
    """How many notifications ``user`` has not read yet (one COUNT over an indexed pair)."""
    return db.session.scalar(sa.select(sa.func.count(Notification.id)).where(_unread(user.id)))


def cached_unread_count() -> int | None:
    """The signed-in user's unread count for the navigation, counted once per request; None for
    visitors (no query at all)."""
    if not current_user.is_authenticated:
        return None
    if "unread_notifications" not in g:
        try:
            g.unread_notifications = unread_count(current_user)
        except sa.exc.SQLAlchemyError:
            # The error page of a failed request must still render: show no badge, not fail again.
            log.warning("unread notifications not counted", exc_info=True)
            g.unread_notifications = None
    return g.unread_notifications


def notifications_page(user, page: int, per_page: int):
    """One page of ``user``'s notifications, newest first."""
    stmt = (
        sa.select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def own_notification(notification_id: int, user) -> Notification | None:
    """The notification if it exists and belongs to ``user``; None otherwise."""
    return db.session.scalar(
        sa.select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user.id
        )
    )


def mark_read(notification: Notification) -> None:
    """Mark one notification read (a second time keeps the first reading time)."""
    if notification.read_at is None:
        notification.read_at = utcnow()


def mark_all_read(user) -> int:
    """Mark every unread notification of ``user`` read in one UPDATE; returns how many."""
    result = db.session.execute(
        sa.update(Notification)
        .where(_unread(user.id))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


# --- pages -------------------------------------------------------------------------------------


@bp.route("/notifications")
@allow(SIGNED_IN)
def notifications():
    pagination = notifications_page(current_user, page_arg(), page_size())
    return render_template("main/notifications.html", pagination=pagination, token_form=BaseForm())


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
@allow(SIGNED_IN, own=tuple(Role))  # a notification belongs to one person
def open_notification(notification_id):
    notification = own_notification(notification_id, current_user)
    # Another user's notification is private: it does not exist for this user.
    require(notification is not None, 404)
    mark_read(notification)
    link = notification.link
    db.session.commit()
    if is_safe_url(link):
        return redirect(link)
    if link:  # never follow a link off this site, whatever was stored
        flash(_("The link of this notification cannot be opened."), "warning")
    return redirect(url_for("main.notifications"))


@bp.route("/notifications/read-all", methods=["POST"])
@allow(SIGNED_IN)
def read_all_notifications():
    marked = mark_all_read(current_user)
    db.session.commit()
    if marked:
        flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("main.notifications"))


# The settings page lives in its own module; importing it registers its route.
