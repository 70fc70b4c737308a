"""The story of the internship journey (test_internship_journey.py): the application, the
logbook days, the guidance session, the scores and the grade they give, the certificate number,
and the logbook entry cards of the placement page."""

from __future__ import annotations

import re

from playwright.sync_api import Page

from tests.e2e.pages import main

MOTIVATION = (
    "Saya mahasiswi S1 Sistem Informasi yang tertarik pada pengelolaan data kepegawaian.\n"
    "Saya ingin belajar menyusun analisis kebutuhan pelatihan ASN di BKPSDM."
)
#: A small but real PDF (the portal checks the content, not the name).
CV_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
OFFER_NOTE = "Selamat, kami menawarkan tempat magang di Bidang Pengembangan Kompetensi."
PLANNED_SKS = "20"

DAY_1 = {  # sent to the mentor at once; the mentor approves it
    "days_ago": 2,
    "hours": "7.5",
    "activities": "Menginput data kepegawaian riwayat diklat ke format SIASN untuk 30 ASN.",
    "outputs": "Berkas rekap diklat 30 ASN.",
}
DAY_2 = {  # saved as a draft, submitted from the placement page; the mentor returns it
    "days_ago": 1,
    "hours": "6",
    "activities": "Mendokumentasikan rapat koordinasi pengembangan kompetensi dan menyusun notulen.",
    "outputs": "",
}
RETURN_COMMENT = "Tuliskan juga jumlah peserta rapat dan keputusan yang diambil."

SESSION = {
    "days_ago": 1,
    "duration": "60",
    "mode": "on_site",
    "topics": "Review rancangan dashboard JP dan etika pengelolaan data pribadi ASN",
    "competencies": "Integritas, Komunikasi, Pengembangan Aplikasi",
    "shared": "Dashboard sudah rapi; filter per OPD perlu diperbaiki.",
    "private": "Perlu didampingi lebih dekat saat presentasi ke kepala bidang.",
    "action": "Revisi filter per OPD",
    "action_due_in": 3,
    "next_meeting_in": 7,
}
CONFIRM_COMMENT = "Sesuai, terima kasih atas masukannya."

ACADEMIC_SCORE = 80
ACADEMIC_COMMENT = "Laporan dan presentasi di kampus baik."
#: The mentor's scores on the default rubric (criteria titles from the catalogue, weights in %).
SCORES = [
    ("Attendance and discipline", 15, 90),
    ("Attitude and personality", 15, 85),
    ("Teamwork and communication", 15, 80),
    ("Knowledge and technical skills", 20, 88),
    ("Initiative and creativity", 10, 75),
    ("Timely completion of tasks", 10, 80),
    ("Quality of the work", 15, 86),
]
MENTOR_COMMENT = "Rajin, teliti dan cepat belajar."
MENTOR_WEIGHT = 60  # the default split: 60% mentor, 40% academic
CERTIFICATE_NUMBER = re.compile(r"[A-Z]{2,10}-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


# --- helpers --------------------------------------------------------------------------------------


def mentor_total() -> float:
    return round(sum(score * weight for _title, weight, score in SCORES) / 100, 2)


def final_grade() -> float:
    return round((mentor_total() * MENTOR_WEIGHT + ACADEMIC_SCORE * (100 - MENTOR_WEIGHT)) / 100, 2)


def entry_card(page: Page, activities: str):
    """A logbook entry on the placement page (an <article> named by its day)."""
    return main(page).get_by_role("article").filter(has_text=activities)
