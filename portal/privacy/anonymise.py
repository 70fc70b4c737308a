"""How personal records end: anonymised where other records still point at them, deleted where
nothing does. Used by the retention purge (``retention.py``, records past their period) and by
the erasure step of an approved deletion request (``erasure.py``, the records of one person).

Every function takes the ids of the rows to end, writes with bulk statements (no personal value
is read back or logged) and returns the keys of the stored files to remove from disk after the
commit. Services here never commit.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from portal.audit import AuditEvent
from portal.auth.models import AccountStatus, User
from portal.competency.models import Assessment
from portal.db import db
from portal.internships.applications.models import Application, ApplicationEvent
from portal.internships.models import Placement
from portal.internships.placements.models import FinalReport, LogbookEntry, LogbookEvent
from portal.uploads import StoredFile

DELETED_EMAIL = "deleted-{id}@invalid"
QUIET = {"synchronize_session": False}


def delete_files(file_ids) -> list[str]:
    """Delete the ``StoredFile`` rows ``file_ids``; their keys, to remove from disk later."""
    file_ids = [i for i in file_ids if i is not None]
    if not file_ids:
        return []
    keys = list(db.session.scalars(sa.select(StoredFile.key).where(StoredFile.id.in_(file_ids))))
    db.session.execute(
        sa.delete(StoredFile).where(StoredFile.id.in_(file_ids)), execution_options=QUIET
    )
    return keys


def anonymise_applications(ids: list[int]) -> list[str]:
    """Clear the motivation, reasons and history notes and delete the CV; the state, dates,
    position, period, university and OPD stay, so the statistics still add up."""
    files = list(
        db.session.scalars(sa.select(Application.cv_file_id).where(Application.id.in_(ids)))
    )
    db.session.execute(
        sa.update(Application)
        .where(Application.id.in_(ids))
        .values(motivation="", decision_reason=None, cv_file_id=None),
        execution_options=QUIET,
    )
    db.session.execute(
        sa.update(ApplicationEvent)
        .where(ApplicationEvent.application_id.in_(ids))
        .values(note=None),
        execution_options=QUIET,
    )
    return delete_files(files)


def anonymise_logbooks(ids: list[int]) -> list[str]:
    """Clear what a logbook entry says (activities, outputs, the mentor's comment, the notes of
    its history) and delete its attachment; the day, minutes and state stay (the hours of the
    placement still add up)."""
    files = list(
        db.session.scalars(sa.select(LogbookEntry.attachment_id).where(LogbookEntry.id.in_(ids)))
    )
    db.session.execute(
        sa.update(LogbookEntry)
        .where(LogbookEntry.id.in_(ids))
        .values(activities="", outputs="", mentor_comment=None, attachment_id=None),
        execution_options=QUIET,
    )
    db.session.execute(
        sa.update(LogbookEvent).where(LogbookEvent.entry_id.in_(ids)).values(note=None),
        execution_options=QUIET,
    )
    return delete_files(files)


def anonymise_placements(ids: list[int]) -> list[str]:
    """Clear the free texts of a placement (why it ended, the final report's notes and the
    reviewers' reasons); who, where, when and the grade stay (the credit recognition)."""
    db.session.execute(
        sa.update(Placement).where(Placement.id.in_(ids)).values(end_reason=None),
        execution_options=QUIET,
    )
    db.session.execute(
        sa.update(FinalReport)
        .where(FinalReport.placement_id.in_(ids))
        .values(note="", mentor_reason=None, dpl_reason=None),
        execution_options=QUIET,
    )
    return []


def anonymise_assessments(ids: list[int]) -> list[str]:
    """Clear an assessment's note and delete its report file; the levels stay."""
    files = list(
        db.session.scalars(sa.select(Assessment.report_file_id).where(Assessment.id.in_(ids)))
    )
    db.session.execute(
        sa.update(Assessment).where(Assessment.id.in_(ids)).values(note=None, report_file_id=None),
        execution_options=QUIET,
    )
    return delete_files(files)


def anonymise_accounts(ids: list[int]) -> list[str]:
    """Replace name, e-mail, NIM, study programme, reason and password with placeholders and
    close the account (refused, inactive, signed out everywhere); the row stays, so whatever
    points at it still does. Audit events about the account lose their e-mail label."""
    users = db.session.scalars(
        sa.select(User).where(User.id.in_(ids)).options(selectinload(User.role_rows))
    ).all()
    for user in users:
        user.full_name = f"deleted-{user.id}"
        user.email = DELETED_EMAIL.format(id=user.id)
        user.nim = user.study_programme = user.rejection_reason = user.password_hash = None
        user.last_login_at = None
        user.is_active_flag = False
        user.status = AccountStatus.REJECTED
        user.rotate_session_token()
    db.session.execute(
        sa.update(AuditEvent)
        .where(AuditEvent.target_type == "user", AuditEvent.target_id.in_(ids))
        .values(target_label=None),
        execution_options=QUIET,
    )
    db.session.flush()
    return []


def deleter(model) -> Callable[[list[int]], list[str]]:
    """Delete the rows of ``model`` outright (nothing points at them)."""

    def end(ids: list[int]) -> list[str]:
        db.session.execute(sa.delete(model).where(model.id.in_(ids)), execution_options=QUIET)
        return []

    return end


def file_references() -> list[sa.Column]:
    """Every column of the schema that points at ``stored_files.id``."""
    return [
        fk.parent
        for table in db.metadata.tables.values()
        for fk in table.foreign_keys
        if fk.column.table.name == StoredFile.__tablename__
    ]


def orphan_files() -> sa.ColumnElement:
    """SQL: the stored file is referenced by no row (an upload abandoned half-way, or a file
    whose record was deleted)."""
    return sa.and_(
        *(~sa.select(col).where(col == StoredFile.id).exists() for col in file_references())
    )


def delete_stored_files(ids: list[int]) -> list[str]:
    return delete_files(ids)
