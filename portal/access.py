"""Access control, layer one: every endpoint declares who may reach it (CONVENTIONS.md §7).

``@allow(...)`` both records the endpoint's policy in :data:`POLICY` and enforces the coarse role
check. Object-level rules (``own=``) are declared here and enforced in the view through the model's
``can_<verb>`` predicates; ``tests/crawls/test_access_matrix.py`` checks both against ``app.url_map``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from flask import abort, current_app, request
from flask_login import current_user

from portal.auth.models import Role

PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed_in"  # any signed-in user, whatever the role
ANONYMOUS_ONLY = (
    "anonymous_only"  # sign-in, registration: a signed-in user is sent to the dashboard
)


@dataclass(frozen=True)
class Policy:
    audience: frozenset[str]
    own: frozenset[str]  # roles allowed only on their own object (checked by a predicate)

    def allows(self, role: str | None, *, owner: str = "own") -> bool:
        """Whether ``role`` (None = anonymous) may use the endpoint on an own/other object."""
        if PUBLIC in self.audience:
            return True
        if role is None:
            return ANONYMOUS_ONLY in self.audience
        if SIGNED_IN in self.audience:
            return role not in self.own or owner == "own"
        if role not in self.audience:
            return False
        return role not in self.own or owner == "own"

    def admits_roles_of(self, user) -> bool:
        """The coarse check for a signed-in ``user``: any signed-in user, or one of the roles."""
        return SIGNED_IN in self.audience or bool(user.roles.intersection(self.audience))


#: Endpoints of extensions, with their policies (they carry no decorator of ours).
EXTERNAL_POLICY = {
    "static": Policy(frozenset({PUBLIC}), frozenset()),
    "bootstrap.static": Policy(frozenset({PUBLIC}), frozenset()),
}


def allow(*audience: str | Role, own: tuple[Role, ...] = ()):
    """Declare and enforce who may reach the decorated view.

    ``audience`` holds roles, or one of PUBLIC, SIGNED_IN, ANONYMOUS_ONLY. Roles in ``own`` may act
    only on their own objects; the view checks that with the object's predicate.
    """

    def decorator(view):
        policy = Policy(frozenset(str(a) for a in audience), frozenset(str(o) for o in own))
        view._access_policy = policy

        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if PUBLIC in policy.audience or ANONYMOUS_ONLY in policy.audience:
                return view(*args, **kwargs)
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not policy.admits_roles_of(current_user):
                deny()
            return view(*args, **kwargs)

        wrapper._access_policy = policy
        return wrapper

    return decorator


def may_reach(endpoint: str, user=None) -> bool:
    """Whether ``user`` (default: the current user) passes the coarse layer of ``endpoint``: the
    role check of its ``@allow`` policy, the test the wrapper makes. A link to the endpoint is
    shown only when this holds and the object predicate the view asks holds too.

    False for an endpoint without a declared policy, for a visitor who is not signed in on an
    endpoint that is not public (the wrapper sends them to the sign-in page) and for a signed-in
    user on an anonymous-only one (sign-in, registration: the view sends them to the dashboard)."""
    view = current_app.view_functions.get(endpoint)
    policy = getattr(view, "_access_policy", None) or EXTERNAL_POLICY.get(endpoint)
    if policy is None:
        return False
    if PUBLIC in policy.audience:
        return True
    user = current_user if user is None else user
    if not getattr(user, "is_authenticated", False):
        return ANONYMOUS_ONLY in policy.audience
    if ANONYMOUS_ONLY in policy.audience:
        return False
    return policy.admits_roles_of(user)


def deny(status: int = 403):
    """Refuse the request (and leave a trace in the log)."""
    current_app.logger.warning(
        "access denied",
        extra={
            "access": {
                "endpoint": request.endpoint,
                "status": status,
                "user_id": getattr(current_user, "id", None),
                "ip": request.remote_addr,
            }
        },
    )
    abort(status)


def require(condition: bool, status: int = 403) -> None:
    """Deny unless ``condition`` holds: the object-level check in a view."""
    if not condition:
        deny(status)


def collect_policies(app) -> dict[str, Policy]:
    """Map every endpoint of ``app`` to its declared policy (missing ones are absent)."""
    found = dict(EXTERNAL_POLICY)
    for endpoint, view in app.view_functions.items():
        policy = getattr(view, "_access_policy", None)
        if policy is not None:
            found[endpoint] = policy
    return found
