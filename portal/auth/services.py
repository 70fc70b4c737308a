"""Every write about accounts: registration, sign-in, verification, invitations, passwords, roles.

Services flush and record; they never commit (the view commits once).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import lazyload

from portal import audit
from portal.auth import passwords
from portal.auth.invitations import TO_INVITE, state_of
from portal.auth.models import AGENCY_ROLES, UNIVERSITY_ROLES, AccountStatus, Role, User
from portal.auth.workflow import VERIFICATION, VerificationAction
from portal.db import db, utcnow
from portal.errors import DomainError, FieldError
from portal.i18n import _l
from portal.notify import queue_email, queue_emails, render_email
from portal.util import links


class WrongPassword(FieldError):
    """The current password typed is not the account's; ``portal.refusals`` shows it beside
    that field of the form."""

    field = "current_password"
    default_message = _l("The current password is not correct.")


def find_by_email(email: str, *, with_roles: bool = True) -> User | None:
    """The account with this e-mail (any letter case), or None. ``with_roles=False`` skips the
    second query that loads its roles, for a caller that must cost the same with or without an
    account (the roles then load lazily if read)."""
    stmt = sa.select(User).where(sa.func.lower(User.email) == email.strip().lower())
    if not with_roles:
        stmt = stmt.options(lazyload(User.role_rows))
    return db.session.scalars(stmt).first()


def _university_staff(university_id: int) -> list[User]:
    from portal.auth.models import UserRole

    return list(
        db.session.scalars(
            sa.select(User)
            .join(UserRole)
            .where(
                UserRole.role == Role.UNIVERSITY,
                User.university_id == university_id,
                User.is_active_flag.is_(True),
                User.status == AccountStatus.ACTIVE,
            )
        )
    )


def register_student(*, full_name, email, password, university, nim, study_programme, locale):
    """Create a student account waiting for its university's verification; None when the
    e-mail already has an account. The audit event names the privacy notice version shown (the
    registration page stores the acceptance with it: ``privacy.notice.record_acceptance``).

    Refuses an inactive university. An e-mail already in use is not refused (that would tell
    anyone which addresses have an account): nothing is created or changed, the owner of the
    address gets an e-mail instead, and the caller answers exactly as for a new account. The
    password is hashed either way, so both answers take as long.
    """
    if university is None or not university.is_active:
        raise DomainError(_l("Choose a university from the list."))
    password_hash = passwords.hash_password(password)
    existing = find_by_email(email)
    if existing is not None:
        # seen by the admins (a run of these is someone probing addresses), never by the visitor
        audit.record(None, "account.register_attempt", existing, university=university.short_name)
        _tell_owner_of_registration_attempt(existing)
        return None
    user = User(
        full_name=full_name,
        email=email.strip().lower(),
        password_hash=password_hash,
        status=AccountStatus.PENDING,
        university_id=university.id,
        nim=nim,
        study_programme=study_programme,
        locale=locale,
    )
    user.set_roles([Role.STUDENT])
    db.session.add(user)
    db.session.flush()
    audit.record(
        user,
        "account.register",
        user,
        university=university.short_name,
        notice_version=current_app.config["PRIVACY_NOTICE_VERSION"],
    )
    for staff in _university_staff(university.id):
        queue_email(
            staff,
            "student_registered",
            subject=_l("A student waits for verification"),
            student=user,
            link=links.absolute("auth.verifications"),
        )
    return user


def _tell_owner_of_registration_attempt(owner: User) -> None:
    """E-mail the owner of an address that someone tried to register again, with the ways in
    (sign in, forgotten password); the account itself is left as it is."""
    queue_email(
        owner,
        "registration_attempt",
        subject=_l("Someone tried to register with your e-mail address"),
        login_link=links.absolute("auth.login"),
        reset_link=links.absolute("auth.forgot_password"),
    )


def authenticate(email: str, password: str) -> User:
    """The user whose credentials these are, able to sign in; else DomainError (audited).

    The message never tells whether the e-mail exists.
    """
    user = find_by_email(email)
    # The password is checked even when no account matches (against a dummy hash of the same
    # cost), so the time of the answer does not tell whether the e-mail has an account.
    password_ok = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not password_ok:
        # Only something shaped like an address is kept: a password typed into the e-mail
        # field by mistake must not land in the audit log.
        looks_like_email = "@" in email and " " not in email and len(email) <= 254
        audit.record(
            user,
            "login.failure",
            user,
            target_label=email if looks_like_email else "(not an e-mail address)",
        )
        raise DomainError(_l("The e-mail or password is not correct."))
    if not user.is_active_flag:
        audit.record(user, "login.failure", user, reason="inactive")
        raise DomainError(_l("This account has been deactivated. Contact your administrator."))
    if user.status == AccountStatus.PENDING:
        audit.record(user, "login.failure", user, reason="pending")
        raise DomainError(
            _l(
                "Your account is waiting for verification by your university. You will get an e-mail."
            )
        )
    if user.status == AccountStatus.REJECTED:
        audit.record(user, "login.failure", user, reason="rejected")
        raise DomainError(
            _l(
                "Your registration was not accepted by your university: %(reason)s",
                reason=user.rejection_reason or "-",
            )
        )
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = utcnow()
    audit.record(user, "login.success", user)
    return user


def sign_out(user: User) -> None:
    """End every session of the user: the old cookie and remember token stop working."""
    user.rotate_session_token()
    audit.record(user, "logout", user)


def verify_student(student: User, *, actor: User) -> None:
    """Accept a pending student (:data:`~portal.auth.workflow.VERIFICATION`); only a university
    user of the same university may."""
    VERIFICATION.apply(student, VerificationAction.VERIFY, actor)
    audit.record(actor, "account.verify", student)
    queue_email(
        student,
        "student_verified",
        subject=_l("Your Sinergi account is verified"),
        link=links.absolute("auth.login"),
    )


def reject_student(student: User, *, actor: User, reason: str) -> None:
    """Refuse a pending student with a reason the student receives."""
    VERIFICATION.apply(student, VerificationAction.REJECT, actor, note=reason)
    audit.record(actor, "account.reject", student, reason=reason)
    queue_email(student, "student_rejected", subject=_l("Your Sinergi registration"), reason=reason)


def _check_placement(roles, *, university, agency, admin_agency):
    roles = set(roles)
    if not roles:
        raise DomainError(_l("Choose at least one role."))
    if roles & UNIVERSITY_ROLES and roles & AGENCY_ROLES:
        raise DomainError(_l("An account belongs either to a university or to an OPD, not both."))
    if roles & UNIVERSITY_ROLES and university is None:
        raise DomainError(_l("University staff and students need a university."))
    if roles & AGENCY_ROLES and agency is None:
        raise DomainError(_l("ASN and mentors need an OPD."))
    if Role.ADMIN not in roles and admin_agency is not None:
        raise DomainError(_l("Only administrators can be scoped to an OPD."))


def _check_actor_scope(actor: User, roles, agency, admin_agency) -> None:
    if actor.is_city_admin:
        return
    if set(roles) - AGENCY_ROLES or agency is None or agency.id != actor.admin_agency_id:
        raise DomainError(
            _l("As an OPD administrator you manage only the ASN and mentors of your OPD.")
        )
    if admin_agency is not None:
        raise DomainError(
            _l("As an OPD administrator you manage only the ASN and mentors of your OPD.")
        )


def invite_staff(*, actor, email, full_name, roles, university, agency, admin_agency, locale):
    """Create a staff account without a password and e-mail it a signed, expiring invitation."""
    if find_by_email(email) is not None:
        raise DomainError(_l("An account with this e-mail address already exists."))
    if Role.STUDENT in roles:
        raise DomainError(_l("Students register themselves; invite staff only."))
    _check_actor_scope(actor, roles, agency, admin_agency)
    _check_placement(roles, university=university, agency=agency, admin_agency=admin_agency)
    user = User(
        email=email.strip().lower(),
        full_name=full_name,
        password_hash=None,
        locale=locale,
        university_id=university.id if university else None,
        agency_id=agency.id if agency else None,
        admin_agency_id=admin_agency.id if admin_agency else None,
    )
    user.set_roles(roles)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "account.invite", user, roles=sorted(roles))
    send_invitation(user, actor=actor, audited=False)
    return user


def send_invitation(user: User, *, actor: User, audited: bool = True) -> None:
    """(Re)send the invitation link: queued in the outbox (never sent inline), remembered on the
    account so the admin pages say what happened to it; refused once the account has a password."""
    if user.password_hash is not None:
        raise DomainError(_l("This account has already set its password."))
    days = current_app.config["INVITATION_MAX_AGE"] // 86400
    user.invitation_email = queue_email(
        user,
        "invitation",
        subject=_l("Your invitation to Sinergi"),
        inviter=actor,
        days=days,
        link=links.absolute("auth.accept_invitation", token=passwords.make_token(user, "invite")),
    )
    user.invited_at = utcnow()
    if audited:
        audit.record(actor, "account.invitation", user)


#: The most invitations one request queues (each is rendered; the outbox sends them later).
BULK_INVITATION_LIMIT = 5000


def send_invitations(users, *, actor: User, source: str) -> dict[str, int]:
    """Queue the invitation of every account given that was never invited or whose sending
    failed, through :func:`send_invitation`; skip (and count) those who accepted, those already
    invited, deactivated accounts and any the actor may not manage. One summary audit event."""
    queued = skipped = left = 0
    for user in users:
        if (
            not user.is_active_flag
            or state_of(user) not in TO_INVITE
            or not user.can_be_managed_by(actor)
        ):
            skipped += 1
        elif queued >= BULK_INVITATION_LIMIT:
            left += 1  # for the next round: the page says so
        else:
            send_invitation(user, actor=actor)
            queued += 1
    db.session.flush()
    audit.record(actor, "account.invite_bulk", sent_from=source, queued=queued, skipped=skipped)
    return {"queued": queued, "skipped": skipped, "left": left}


def accept_invitation(user: User, password: str) -> None:
    user.password_hash = passwords.hash_password(password)
    user.rotate_session_token()
    audit.record(user, "account.activate_invitation", user)


def request_password_reset(email: str) -> None:
    """Queue a reset link if an active account with a password has this e-mail; silent
    otherwise (no enumeration).

    The link and the e-mail are made either way, to a stand-in when no mail goes out, and
    the request is audited either way, so the answer takes as long whatever the address.
    """
    user = find_by_email(email, with_roles=False)
    eligible = user is not None and user.is_active and user.password_hash is not None
    recipient = user if eligible else _StandIn(email)
    hours = current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600
    mail = render_email(
        recipient,
        "password_reset",
        subject=_l("Reset your Sinergi password"),
        hours=hours,
        link=links.absolute("auth.reset_password", token=passwords.make_token(recipient, "reset")),
    )
    if eligible:
        queue_emails([mail])
        audit.record(user, "password.reset_request", user)
    else:
        audit.record(user, "password.reset_request", user, target_label=email, sent=False)


class _StandIn:
    """What an e-mail is rendered for when nobody will receive it (see request_password_reset)."""

    id = 0
    password_hash = None

    def __init__(self, email: str):
        self.email = self.full_name = email
        self.locale = None


def reset_password(user: User, password: str) -> None:
    user.password_hash = passwords.hash_password(password)
    user.rotate_session_token()
    audit.record(user, "password.reset", user)


def change_password(user: User, *, current: str, new: str) -> None:
    """Set a new password after checking the current one; every other session ends."""
    if not passwords.verify_password(user.password_hash, current):
        raise WrongPassword()
    user.password_hash = passwords.hash_password(new)
    user.rotate_session_token()
    audit.record(user, "password.change", user)


def update_profile(user: User, *, full_name: str, locale: str) -> None:
    user.full_name = full_name
    user.locale = locale


def update_account(user: User, *, actor, full_name, roles, university, agency, admin_agency):
    """An admin changes an account's name, institution and roles; a role change ends its sessions."""
    if not user.can_be_managed_by(actor):
        raise DomainError(_l("You cannot manage this account."))
    if Role.STUDENT in roles and Role.STUDENT not in user.roles:
        raise DomainError(_l("Students register themselves; invite staff only."))
    _check_actor_scope(actor, roles, agency, admin_agency)
    _check_placement(roles, university=university, agency=agency, admin_agency=admin_agency)
    if user.id == actor.id and Role.ADMIN not in roles:
        raise DomainError(_l("You cannot remove your own administrator role."))
    before = sorted(user.roles)
    user.full_name = full_name
    user.university_id = university.id if university else None
    user.agency_id = agency.id if agency else None
    user.admin_agency_id = admin_agency.id if admin_agency else None
    if set(before) != set(roles):
        user.set_roles(roles)
        user.rotate_session_token()
        audit.record(actor, "account.roles", user, before=before, after=sorted(roles))
    audit.record(actor, "account.update", user)


def set_active(user: User, *, actor: User, active: bool) -> None:
    """Deactivate (ending every session at once) or reactivate an account."""
    if not user.can_be_managed_by(actor):
        raise DomainError(_l("You cannot manage this account."))
    if user.id == actor.id:
        raise DomainError(_l("You cannot deactivate your own account."))
    if user.is_active_flag == active:
        return
    user.is_active_flag = active
    user.rotate_session_token()
    audit.record(actor, "account.reactivate" if active else "account.deactivate", user)
