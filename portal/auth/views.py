"""Sign-in, sign-out, registration, passwords, profile and student verification."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_datetime
from flask_login import current_user, login_user, logout_user

from portal.access import ANONYMOUS_ONLY, PUBLIC, SIGNED_IN, allow, require
from portal.auth import passwords, queries, services
from portal.auth.forms import (
    ChangePasswordForm,
    ConfirmForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
    RejectForm,
    SetPasswordForm,
)
from portal.auth.models import Role
from portal.db import db
from portal.errors import DomainError
from portal.exports import FORMATS, export
from portal.extensions import limiter
from portal.forms import clean_line
from portal.i18n import _, _l, get_locale_code
from portal.listing import page_arg, page_size, text_arg
from portal.privacy import notice as privacy_notice
from portal.privacy.models import ConsentPurpose
from portal.refusals import attempt
from portal.security import safe_next
from portal.util.names import single_stop

bp = Blueprint("auth", __name__)


def _login_key() -> str:
    """Rate-limit key: the account being tried, together with the client address (G14)."""
    # The same cleaning the form applies, so no variant of the address gets its own counter.
    email = clean_line(request.form.get("email") or "").lower()[:254]
    return f"login:{request.remote_addr}:{email}"


def _login_limit():
    return current_app.config["LOGIN_LIMIT"]


def _ip_limit():
    return current_app.config["LOGIN_IP_LIMIT"]


def _form_limit():
    return current_app.config["SENSITIVE_FORM_LIMIT"]


def _registration_limit():
    return current_app.config["REGISTRATION_LIMIT"]


def _invitation_limit():
    return current_app.config["INVITATION_LIMIT"]


def _link_guess_limit():
    return current_app.config["LINK_GUESS_LIMIT"]


def _failed(response) -> bool:
    return response.status_code != 302


def _link_refused(response) -> bool:
    return response.status_code == 410


# Opening (or posting to) an invitation or reset link that is not valid counts, per address and
# for both kinds of link together: guessing tokens is an enumeration too.
_limit_link_guesses = limiter.shared_limit(
    _link_guess_limit, scope="auth-link", deduct_when=_link_refused
)


@bp.route("/login", methods=["GET", "POST"])
@allow(ANONYMOUS_ONLY)
@limiter.limit(_login_limit, key_func=_login_key, methods=["POST"], deduct_when=_failed)
@limiter.limit(_ip_limit, methods=["POST"], deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next())
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except DomainError as exc:
            db.session.commit()  # keep the audit record of the failure
            flash(str(exc.message), "danger")
        else:
            db.session.commit()
            target = safe_next()
            # A new session on sign-in (no fixation): only the language choice survives.
            lang = session.get("lang")
            session.clear()
            if lang:
                session["lang"] = lang
            login_user(user, remember=form.remember.data)
            flash(
                single_stop(_("Welcome, %(name)s.", name=user.full_name), user.full_name), "success"
            )
            return redirect(target)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@allow(SIGNED_IN)
def logout():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    services.sign_out(current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/register", methods=["GET", "POST"])
@allow(ANONYMOUS_ONLY)
@limiter.limit(_registration_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    universities = queries.active_universities()
    form = RegistrationForm(universities=universities)
    if form.validate_on_submit():
        university = next((u for u in universities if u.id == form.university_id.data), None)

        def register_and_accept():
            user = services.register_student(
                full_name=form.full_name.data,
                email=form.email.data,
                password=form.password.data,
                university=university,
                nim=form.nim.data,
                study_programme=form.study_programme.data,
                locale=get_locale_code(),
            )
            if user is not None:  # the notice version accepted, with the same transaction
                privacy_notice.record_acceptance(
                    user,
                    context="registration",
                    # consent only for the optional purposes, each its own unticked box
                    optional=[ConsentPurpose.FEEDBACK_NAME]
                    if form.consent_feedback_name.data
                    else [],
                )
            return user

        done = attempt(register_and_accept)
        if done:
            # The same answer whether or not the e-mail already had an account (the service
            # then e-mails its owner instead): the page must not tell who has an account.
            return render_template("auth/registered.html", university=university)
    return render_template(
        "auth/register.html",
        form=form,
        legal_bases=[b for b in privacy_notice.LEGAL_BASES if b.for_students],
    )


@bp.route("/forgot-password", methods=["GET", "POST"])
@allow(PUBLIC)
@limiter.limit(_form_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(
            _(
                "If an account with that e-mail exists, we have sent it a link to set a new "
                "password. The link is valid for %(hours)d hours.",
                hours=current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600,
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


def _user_from_token(token: str, purpose: str, max_age_key: str):
    return passwords.read_token(token, purpose, current_app.config[max_age_key], queries.get_user)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
@_limit_link_guesses
def reset_password(token):
    user = _user_from_token(token, "reset", "PASSWORD_RESET_MAX_AGE")
    if user is None or not user.is_active:
        return render_template("auth/link_invalid.html"), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        db.session.commit()
        logout_user()
        flash(_("Your password has been changed. Please sign in with the new one."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, purpose="reset")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
@limiter.limit(_invitation_limit, methods=["POST"])
@_limit_link_guesses
def accept_invitation(token):
    user = _user_from_token(token, "invite", "INVITATION_MAX_AGE")
    if user is None or not user.is_active_flag or user.password_hash is not None:
        return render_template("auth/link_invalid.html"), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        services.accept_invitation(user, form.password.data)
        db.session.commit()
        logout_user()
        flash(_("Your password is set. You can sign in now."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, purpose="invite", invited=user)


@bp.route("/account/password", methods=["GET", "POST"])
@allow(SIGNED_IN)
@limiter.limit(_form_limit, methods=["POST"], deduct_when=_failed)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        done = attempt(
            lambda: services.change_password(
                user, current=form.current_password.data, new=form.password.data
            ),
            form=form,
        )
        if done:
            # Sessions elsewhere end with the old token; this one continues with the new one.
            login_user(user)
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/account", methods=["GET", "POST"])
@allow(SIGNED_IN)
def profile():
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)
    if form.validate_on_submit():
        services.update_profile(user, full_name=form.full_name.data, locale=form.locale.data)
        db.session.commit()
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form, user=user)


def verification_filters() -> dict:
    """The verification list's filters (the page and its export read the same ones)."""
    return {"q": text_arg("q")}


@bp.route("/verifications")
@allow(Role.UNIVERSITY)
def verifications():
    filters = verification_filters()
    pagination = queries.pending_students(
        current_user.university_id or 0, **filters, page=page_arg(), per_page=page_size()
    )
    return render_template(
        "auth/verifications.html", pagination=pagination, q=filters["q"], form=ConfirmForm()
    )


VERIFICATION_HEADERS = (
    _l("Name"),
    _l("E-mail"),
    _l("NIM"),
    _l("Study programme"),
    _l("Registered on (WIB)"),
)


@bp.route("/verifications/export.<fmt>")
@allow(Role.UNIVERSITY)
def verifications_export(fmt):
    """The students of the user's own university waiting for verification (same search), as CSV
    or XLSX; a GET that writes nothing."""
    if fmt not in FORMATS:
        abort(404)
    students = queries.pending_students_export(
        current_user.university_id or 0, **verification_filters()
    )
    rows = (
        (
            s.full_name,
            s.email,
            s.nim or "",
            s.study_programme or "",
            format_datetime(s.created_at, "yyyy-MM-dd HH:mm"),
        )
        for s in students
    )
    return export(
        fmt, "student-verification", VERIFICATION_HEADERS, rows, title=_("Student verification")
    )


def _pending_student(user_id: int):
    student = queries.get_user(user_id)
    # Existence of another university's student is private: 404, not 403.
    require(student is not None and student.can_be_verified_by(current_user), 404)
    return student


@bp.route("/verifications/<int:user_id>/verify", methods=["POST"])
@allow(Role.UNIVERSITY, own=(Role.UNIVERSITY,))
def verify_student(user_id):
    student = _pending_student(user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.verify_student(student, actor=current_user)
        db.session.commit()
        flash(_("%(name)s is verified and can sign in now.", name=student.full_name), "success")
    return redirect(url_for("auth.verifications"))


@bp.route("/verifications/<int:user_id>/reject", methods=["GET", "POST"])
@allow(Role.UNIVERSITY, own=(Role.UNIVERSITY,))
def reject_student(user_id):
    student = _pending_student(user_id)
    form = RejectForm()
    if form.validate_on_submit():
        services.reject_student(student, actor=current_user, reason=form.reason.data)
        db.session.commit()
        flash(_("The registration of %(name)s was rejected.", name=student.full_name), "info")
        return redirect(url_for("auth.verifications"))
    return render_template("auth/reject.html", form=form, student=student)
