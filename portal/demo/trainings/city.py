"""Training batches of the published city curricula: most completed (attendance taken, the
participants completed or not, the completed ones credited to their JP ledger), some running
this week (registration closed, attendance of the sessions held so far), some open for
registration (requests waiting for the supervisor, approvals, declines). Registration histories
follow ``trainings.workflow`` (register → approve/decline → complete/fail); seats taken count
the approved registrations, as the conditional UPDATE would have left them."""

from __future__ import annotations

from datetime import timedelta

from portal.demo.city import City, stamp
from portal.trainings.batches.services import CODE_ALPHABET, CODE_LENGTH
from portal.trainings.ledger import schedule
from portal.trainings.ledger.conversion import Scope
from portal.trainings.ledger.models import (
    EntryAction,
    EntryState,
    LedgerEntry,
    LedgerEvent,
    LedgerSource,
)
from portal.trainings.ledger.services import DEFAULT_ORGANISER
from portal.trainings.models import (
    Attendance,
    AttendanceMethod,
    BatchState,
    Registration,
    RegistrationEvent,
    RegistrationState,
    TrainingBatch,
    TrainingSession,
    batch_facilitators,
)
from portal.trainings.registrations import workflow

R = RegistrationState
PHASES = ["completed"] * 7 + ["running", "open", "open"]
E_LEARNING_LINK = "https://elearning.bkpsdm.pemkomedan.go.id/kelas/{id}"


def generate(city: City) -> None:
    rng = city.rng
    curricula = city.curricula_published
    if not curricula:
        return
    pool = [p for p in city.asn if p["supervisor_id"] is not None]
    tables = {
        name: []
        for name in (
            "batches",
            "sessions",
            "facilitators",
            "registrations",
            "events",
            "attendance",
            "ledger",
            "ledger_events",
        )
    }
    count = city.n("training_batches")
    for index, batch_id in enumerate(city.ids(TrainingBatch.__table__, count)):
        cur = curricula[index % len(curricula)]
        phase = PHASES[index % len(PHASES)]
        if phase == "completed":
            first = city.today - timedelta(days=rng.randint(14, 500))
        elif phase == "running":
            first = city.today - timedelta(days=1)
        else:
            first = city.today + timedelta(days=rng.randint(10, 25))  # registration already open
        batch = Batch(
            city, tables, batch_id=batch_id, cur=cur, phase=phase, first=first, index=index
        )
        batch.write(rng.sample(pool, min(len(pool), batch.capacity + 3)))
    for model, key in (
        (TrainingBatch, "batches"),
        (TrainingSession, "sessions"),
        (batch_facilitators, "facilitators"),
        (Registration, "registrations"),
        (RegistrationEvent, "events"),
        (Attendance, "attendance"),
        (LedgerEntry, "ledger"),
        (LedgerEvent, "ledger_events"),
    ):
        city.insert(model, tables[key])


class Batch:
    def __init__(self, city: City, tables: dict, *, batch_id: int, cur: dict, phase, first, index):
        rng = city.rng
        self.city, self.tables, self.id, self.cur, self.phase = city, tables, batch_id, cur, phase
        self.capacity = rng.choice((20, 25, 30))
        self.facilitator = city.staff[cur["university_id"]][0]
        self.opens = city.moment(first - timedelta(days=30), 1)
        self.closes = city.moment(first - timedelta(days=2), 9)
        # One session a day, adding up to the curriculum's JP (a batch credits what its schedule
        # earns): days of 8 JP from 08:00 WIB, e-learning 3 JP a day online.
        self.form = schedule.curriculum_form(cur.get("mode"), cur.get("training_type"))
        online = self.form == "e_learning"
        plan = schedule.days_for(cur["total_jp"], self.form)
        self.sessions = []
        for day, (minutes, session_id) in enumerate(
            zip(plan, city.ids(TrainingSession.__table__, len(plan)), strict=True)
        ):
            starts = city.moment(first + timedelta(days=day), 1 + online)
            self.sessions.append(
                {
                    "id": session_id,
                    "batch_id": batch_id,
                    "starts_at": starts,
                    "ends_at": starts + timedelta(minutes=minutes),
                    "place": None if online else "Aula BKPSDM Kota Medan",
                    "online_link": E_LEARNING_LINK.format(id=batch_id) if online else None,
                    "check_in_code": "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)),
                }
            )
        self.earned = schedule.schedule_jp(
            ((x["starts_at"], x["ends_at"]) for x in self.sessions),
            form=self.form,
            cap=cur["total_jp"],
            nominal=cur["total_jp"],
        )
        self.completed_at = self.sessions[-1]["ends_at"] + timedelta(days=1)
        self.title = (
            f"{cur['title']} — Angkatan {index // max(1, len(city.curricula_published)) + 1}"
        )

    def write(self, participants: list[dict]) -> None:
        city, rng, t = self.city, self.city.rng, self.tables
        seats = 0
        regs = city.ids(Registration.__table__, len(participants))
        now = city.moment(city.today, 1)
        for number, (asn, reg_id) in enumerate(zip(participants, regs, strict=True)):
            registered = self.opens + timedelta(days=rng.uniform(0.5, 20))
            decided = registered + timedelta(days=rng.uniform(0.2, 3))
            if self.phase == "open":
                registered = min(registered, now - timedelta(days=2))
                decided = min(decided, now - timedelta(hours=3))
            boss = self.supervisor(asn)["user_id"]
            history = [(workflow.REGISTER, None, R.REQUESTED, asn["user_id"], registered)]
            if number % 8 == 7 or seats >= self.capacity:
                history.append(("decline", R.REQUESTED, R.DECLINED, boss, decided))
            elif self.phase == "open" and number % 3 == 0:
                pass  # still waiting for the supervisor
            else:
                seats += 1
                history.append(("approve", R.REQUESTED, R.ENROLLED, boss, decided))
                if self.phase == "completed":
                    done = rng.random() < 0.9
                    history.append(
                        (
                            "complete" if done else "fail",
                            R.ENROLLED,
                            R.COMPLETED if done else R.NOT_COMPLETED,
                            None,
                            self.completed_at,
                        )
                    )
            state = history[-1][2]
            rate = self.attend(reg_id, state)
            t["registrations"].append(
                {
                    "id": reg_id,
                    "batch_id": self.id,
                    "asn_id": asn["asn_id"],
                    "user_id": asn["user_id"],
                    "agency_id": asn["agency_id"],
                    "state": state,
                    "nominated_by_id": None,
                    "waitlist_position": None,
                    "has_clash": False,
                    "decided_at": history[1][4] if len(history) > 1 else None,
                    "decision_reason": "Beban kerja bidang sedang tinggi."
                    if state == R.DECLINED
                    else None,
                    "attendance_rate": rate,
                    "created_at": registered,
                    "updated_at": history[-1][4],
                }
            )
            for action, old, new, actor, at in history:
                t["events"].append(
                    {
                        "registration_id": reg_id,
                        "action": action,
                        "from_state": old,
                        "to_state": new,
                        "actor_id": actor,
                        "at": at,
                        "note": None,
                    }
                )
            if state == R.COMPLETED:
                self.credit(reg_id, asn)
        self.row(seats)

    def supervisor(self, asn: dict) -> dict:
        by_asn = getattr(self.city, "_asn_by_id", None)
        if by_asn is None:
            by_asn = self.city._asn_by_id = {p["asn_id"]: p for p in self.city.asn}
        return by_asn[asn["supervisor_id"]]

    def attend(self, reg_id: int, state) -> float | None:
        if state not in (R.ENROLLED, R.COMPLETED, R.NOT_COMPLETED):
            return None
        rng, held, present = self.city.rng, 0, 0
        for session in self.sessions:
            if session["starts_at"] > self.city.moment(self.city.today, 3):
                continue
            held += 1
            here = state != R.NOT_COMPLETED and rng.random() < 0.97 or rng.random() < 0.4
            present += here
            self.tables["attendance"].append(
                {
                    "session_id": session["id"],
                    "registration_id": reg_id,
                    "present": here,
                    "method": AttendanceMethod.FACILITATOR,
                    "at": session["ends_at"],
                    "recorded_by_id": self.facilitator,
                }
            )
        if state == R.COMPLETED and held:  # completion needs the attendance; make it so
            present = held
            for row in self.tables["attendance"][-held:]:
                row["present"] = True
        return round(present / held, 4) if held else None

    def credit(self, reg_id: int, asn: dict) -> None:
        (entry_id,) = self.city.ids(LedgerEntry.__table__, 1)
        started, ended = (s["starts_at"].date() for s in (self.sessions[0], self.sessions[-1]))
        jp = float(self.earned.jp)  # what the schedule earns (here the curriculum's JP)
        self.tables["ledger"].append(
            {
                "id": entry_id,
                "asn_id": asn["asn_id"],
                "year": ended.year,
                "source": LedgerSource.TRAINING,
                "registration_id": reg_id,
                "form": self.earned.form,
                "scope": Scope.NATIONAL,
                "title": self.title[:200],
                "organiser": DEFAULT_ORGANISER,
                "started_on": started,
                "ended_on": ended,
                "quantity": self.earned.quantity,  # the raw duration, in the rule's unit
                "unit": self.earned.unit,
                "jp": jp,
                "certificate_number": None,
                "evidence_file_id": None,
                "state": EntryState.VERIFIED,
                "reason": None,
                "verified_by_id": self.city.city_admin_id,
                "verified_at": self.completed_at,
                **stamp(self.completed_at),
            }
        )
        self.tables["ledger_events"].append(
            {
                "entry_id": entry_id,
                "action": EntryAction.CREDIT,
                "actor_id": self.city.city_admin_id,
                "at": self.completed_at,
                "note": None,
            }
        )

    def row(self, seats: int) -> None:
        city, cur = self.city, self.cur
        state = {
            "completed": BatchState.COMPLETED,
            "running": BatchState.CLOSED,
            "open": BatchState.OPEN,
        }[self.phase]
        self.tables["batches"].append(
            {
                "id": self.id,
                "curriculum_id": cur["id"],
                "title": self.title[:200],
                "capacity": self.capacity,
                "seats_taken": seats,
                "registration_opens_at": self.opens,
                "registration_closes_at": self.closes,
                "jp": cur["total_jp"],
                "state": state,
                "created_by_id": city.city_admin_id,
                "completed_at": self.completed_at if self.phase == "completed" else None,
                **stamp(self.opens - timedelta(days=7)),
            }
        )
        self.tables["facilitators"].append({"batch_id": self.id, "user_id": self.facilitator})
        self.tables["sessions"].extend(self.sessions)
